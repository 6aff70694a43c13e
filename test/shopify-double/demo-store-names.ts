// Word lists for the demo store's customers: diverse given and family names, and real
// US city/state pairs with one of their ZIP codes and area codes. Phone numbers built
// from them use the 555-01xx block, which is reserved for fiction.

// prettier-ignore
export const FIRST_NAMES = [
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sophia", "Elijah", "Isabella", "Lucas",
  "Mia", "Ethan", "Amelia", "James", "Harper", "Benjamin", "Evelyn", "Sebastian", "Abigail", "Henry",
  "Camila", "Alexander", "Luna", "Daniel", "Sofía", "Jackson", "Aria", "Diego", "Chloe", "Samuel",
  "Layla", "David", "Nora", "Joseph", "Zoe", "Carter", "Riley", "Owen", "Hazel", "Wyatt",
  "Valentina", "Gabriel", "Maya", "Julian", "Aaliyah", "Isaiah", "Imani", "Malik", "Jada", "Darnell",
  "Keisha", "Andre", "Tanisha", "Marcus", "Ebony", "Jamal", "Destiny", "Xavier", "Nia", "Terrence",
  "Wei", "Mei", "Jun", "Hana", "Hiroshi", "Yuki", "Min-jun", "Ji-woo", "Seo-yeon", "Arjun",
  "Priya", "Rohan", "Ananya", "Vikram", "Divya", "Aisha", "Omar", "Fatima", "Yusuf", "Yasmin",
  "Tariq", "Amira", "Hassan", "Leila", "José", "María", "Carlos", "Lucía", "Miguel", "Ximena",
  "Alejandro", "Guadalupe", "Javier", "Paola", "Rafael", "Adriana", "Bao", "Linh", "Minh", "Thao",
  "Kwame", "Ama", "Chidi", "Ngozi", "Tunde", "Zainab", "Kofi", "Abena", "Siobhan", "Declan",
  "Aoife", "Niamh", "Connor", "Magnus", "Ingrid", "Lars", "Astrid", "Mikhail", "Natasha", "Dmitri",
  "Katarzyna", "Tomasz", "Giulia", "Marco", "Francesca", "Luca", "Chiara", "Kai", "Leilani", "Keanu",
  "Dakota", "Cheyenne", "Winona", "Tallulah", "Ezra", "Miriam", "Eli", "Talia", "Ruth", "Avi",
  "Grace", "Jack", "Lily", "Michael", "Emily", "William", "Madison", "Matthew", "Hannah", "Andrew",
  "Rachel", "Ryan", "Lauren", "Nathan", "Megan", "Kevin", "Ashley", "Brian", "Jessica", "Tyler",
] as const;

// prettier-ignore
export const LAST_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
  "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
  "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
  "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
  "Washington", "Jefferson", "Freeman", "Banks", "Okafor", "Adeyemi", "Mensah", "Owusu", "Diallo", "Abara",
  "Chen", "Wang", "Li", "Zhang", "Liu", "Huang", "Kim", "Park", "Choi", "Tanaka",
  "Suzuki", "Sato", "Watanabe", "Tran", "Pham", "Le", "Vo", "Patel", "Shah", "Singh",
  "Kumar", "Gupta", "Reddy", "Iyer", "Khan", "Ahmed", "Hussain", "Rahman", "Haddad", "Nasser",
  "Cohen", "Levy", "Goldberg", "Friedman", "Katz", "O'Brien", "Murphy", "Kelly", "Sullivan", "Byrne",
  "Kowalski", "Nowak", "Wiśniewski", "Novak", "Ivanov", "Petrov", "Rossi", "Russo", "Esposito", "Bianchi",
  "Müller", "Schmidt", "Schneider", "Fischer", "Larsen", "Nielsen", "Johansson", "Lindqvist", "Dubois", "Moreau",
  "Silva", "Santos", "Oliveira", "Costa", "Pereira", "Castillo", "Morales", "Ortiz", "Vargas", "Mendoza",
  "Begay", "Yazzie", "Tsosie", "Kahale", "Akana", "Nakamura", "Yamamoto", "Lopez-Reyes", "Ward", "Brooks",
] as const;

export interface DemoCity {
  city: string;
  province: string;
  provinceCode: string;
  zip: string;
  areaCode: string;
}

// Roughly weighted by where a US record shop's online buyers live: big metros repeat.
export const CITIES: readonly (readonly [DemoCity, number])[] = [
  [{ city: "New York", province: "New York", provinceCode: "NY", zip: "10003", areaCode: "212" }, 9],
  [{ city: "Brooklyn", province: "New York", provinceCode: "NY", zip: "11211", areaCode: "718" }, 6],
  [{ city: "Buffalo", province: "New York", provinceCode: "NY", zip: "14201", areaCode: "716" }, 1],
  [{ city: "Los Angeles", province: "California", provinceCode: "CA", zip: "90026", areaCode: "213" }, 8],
  [{ city: "San Francisco", province: "California", provinceCode: "CA", zip: "94110", areaCode: "415" }, 4],
  [{ city: "Oakland", province: "California", provinceCode: "CA", zip: "94612", areaCode: "510" }, 2],
  [{ city: "San Diego", province: "California", provinceCode: "CA", zip: "92104", areaCode: "619" }, 3],
  [{ city: "Sacramento", province: "California", provinceCode: "CA", zip: "95814", areaCode: "916" }, 1],
  [{ city: "Chicago", province: "Illinois", provinceCode: "IL", zip: "60614", areaCode: "312" }, 6],
  [{ city: "Evanston", province: "Illinois", provinceCode: "IL", zip: "60201", areaCode: "847" }, 1],
  [{ city: "Houston", province: "Texas", provinceCode: "TX", zip: "77006", areaCode: "713" }, 4],
  [{ city: "Austin", province: "Texas", provinceCode: "TX", zip: "78704", areaCode: "512" }, 4],
  [{ city: "Dallas", province: "Texas", provinceCode: "TX", zip: "75204", areaCode: "214" }, 3],
  [{ city: "San Antonio", province: "Texas", provinceCode: "TX", zip: "78205", areaCode: "210" }, 2],
  [{ city: "Phoenix", province: "Arizona", provinceCode: "AZ", zip: "85004", areaCode: "602" }, 2],
  [{ city: "Tucson", province: "Arizona", provinceCode: "AZ", zip: "85705", areaCode: "520" }, 1],
  [{ city: "Philadelphia", province: "Pennsylvania", provinceCode: "PA", zip: "19103", areaCode: "215" }, 4],
  [{ city: "Pittsburgh", province: "Pennsylvania", provinceCode: "PA", zip: "15213", areaCode: "412" }, 2],
  [{ city: "Seattle", province: "Washington", provinceCode: "WA", zip: "98122", areaCode: "206" }, 4],
  [{ city: "Spokane", province: "Washington", provinceCode: "WA", zip: "99201", areaCode: "509" }, 1],
  [{ city: "Portland", province: "Oregon", provinceCode: "OR", zip: "97214", areaCode: "503" }, 3],
  [{ city: "Eugene", province: "Oregon", provinceCode: "OR", zip: "97401", areaCode: "541" }, 1],
  [{ city: "Denver", province: "Colorado", provinceCode: "CO", zip: "80205", areaCode: "303" }, 3],
  [{ city: "Boulder", province: "Colorado", provinceCode: "CO", zip: "80302", areaCode: "303" }, 1],
  [{ city: "Boston", province: "Massachusetts", provinceCode: "MA", zip: "02116", areaCode: "617" }, 4],
  [{ city: "Cambridge", province: "Massachusetts", provinceCode: "MA", zip: "02139", areaCode: "617" }, 1],
  [{ city: "Atlanta", province: "Georgia", provinceCode: "GA", zip: "30307", areaCode: "404" }, 4],
  [{ city: "Athens", province: "Georgia", provinceCode: "GA", zip: "30601", areaCode: "706" }, 1],
  [{ city: "Miami", province: "Florida", provinceCode: "FL", zip: "33137", areaCode: "305" }, 3],
  [{ city: "Orlando", province: "Florida", provinceCode: "FL", zip: "32803", areaCode: "407" }, 2],
  [{ city: "Tampa", province: "Florida", provinceCode: "FL", zip: "33602", areaCode: "813" }, 2],
  [{ city: "Nashville", province: "Tennessee", provinceCode: "TN", zip: "37203", areaCode: "615" }, 3],
  [{ city: "Memphis", province: "Tennessee", provinceCode: "TN", zip: "38103", areaCode: "901" }, 2],
  [{ city: "New Orleans", province: "Louisiana", provinceCode: "LA", zip: "70116", areaCode: "504" }, 2],
  [{ city: "Detroit", province: "Michigan", provinceCode: "MI", zip: "48201", areaCode: "313" }, 2],
  [{ city: "Ann Arbor", province: "Michigan", provinceCode: "MI", zip: "48104", areaCode: "734" }, 1],
  [{ city: "Minneapolis", province: "Minnesota", provinceCode: "MN", zip: "55408", areaCode: "612" }, 3],
  [{ city: "Milwaukee", province: "Wisconsin", provinceCode: "WI", zip: "53202", areaCode: "414" }, 1],
  [{ city: "Madison", province: "Wisconsin", provinceCode: "WI", zip: "53703", areaCode: "608" }, 1],
  [{ city: "Columbus", province: "Ohio", provinceCode: "OH", zip: "43215", areaCode: "614" }, 2],
  [{ city: "Cleveland", province: "Ohio", provinceCode: "OH", zip: "44113", areaCode: "216" }, 1],
  [{ city: "Cincinnati", province: "Ohio", provinceCode: "OH", zip: "45202", areaCode: "513" }, 1],
  [{ city: "Indianapolis", province: "Indiana", provinceCode: "IN", zip: "46202", areaCode: "317" }, 1],
  [{ city: "St. Louis", province: "Missouri", provinceCode: "MO", zip: "63103", areaCode: "314" }, 1],
  [{ city: "Kansas City", province: "Missouri", provinceCode: "MO", zip: "64108", areaCode: "816" }, 1],
  [{ city: "Baltimore", province: "Maryland", provinceCode: "MD", zip: "21201", areaCode: "410" }, 2],
  [{ city: "Washington", province: "District of Columbia", provinceCode: "DC", zip: "20009", areaCode: "202" }, 3],
  [{ city: "Richmond", province: "Virginia", provinceCode: "VA", zip: "23220", areaCode: "804" }, 1],
  [{ city: "Raleigh", province: "North Carolina", provinceCode: "NC", zip: "27601", areaCode: "919" }, 2],
  [{ city: "Asheville", province: "North Carolina", provinceCode: "NC", zip: "28801", areaCode: "828" }, 1],
  [{ city: "Charleston", province: "South Carolina", provinceCode: "SC", zip: "29401", areaCode: "843" }, 1],
  [{ city: "Salt Lake City", province: "Utah", provinceCode: "UT", zip: "84111", areaCode: "801" }, 1],
  [{ city: "Las Vegas", province: "Nevada", provinceCode: "NV", zip: "89101", areaCode: "702" }, 1],
  [{ city: "Albuquerque", province: "New Mexico", provinceCode: "NM", zip: "87102", areaCode: "505" }, 1],
  [{ city: "Honolulu", province: "Hawaii", provinceCode: "HI", zip: "96813", areaCode: "808" }, 1],
  [{ city: "Anchorage", province: "Alaska", provinceCode: "AK", zip: "99501", areaCode: "907" }, 1],
  [{ city: "Burlington", province: "Vermont", provinceCode: "VT", zip: "05401", areaCode: "802" }, 1],
  [{ city: "Providence", province: "Rhode Island", provinceCode: "RI", zip: "02903", areaCode: "401" }, 1],
  [{ city: "Jersey City", province: "New Jersey", provinceCode: "NJ", zip: "07302", areaCode: "201" }, 2],
  [{ city: "Omaha", province: "Nebraska", provinceCode: "NE", zip: "68102", areaCode: "402" }, 1],
  [{ city: "Boise", province: "Idaho", provinceCode: "ID", zip: "83702", areaCode: "208" }, 1],
];

// prettier-ignore
export const STREET_NAMES = [
  "Main", "Oak", "Maple", "Cedar", "Elm", "Pine", "Washington", "Lake", "Hill", "Park",
  "Walnut", "Spring", "Franklin", "Highland", "Jefferson", "Lincoln", "Church", "Willow", "River", "Sunset",
  "Magnolia", "Chestnut", "Broad", "Market", "Union", "Grove", "Harrison", "Jackson", "Madison", "Bleecker",
] as const;

export const STREET_SUFFIXES = ["St", "Ave", "Blvd", "Rd", "Ln", "Dr", "Ct", "Pl", "Way"] as const;

/** Domains reserved for documentation by RFC 2606, so no demo e-mail can reach anyone. */
export const EXAMPLE_EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ["example.com", 6],
  ["example.org", 2],
  ["example.net", 2],
];
