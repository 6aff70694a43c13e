// Every area that holds a customer's data, in the order of the data-request document.
// A new area (loyalty, surveys) adds its section here; customers/redact erases the same list.
import { SURVEY_CUSTOMER_DATA_SECTION } from "../feedback/survey-customer-data.repository.server";
import { LOYALTY_CUSTOMER_DATA_SECTION } from "../loyalty/loyalty-customer-data.repository.server";
import {
  findCustomerProfile,
  findSubjectOrders,
  redactCustomerProfile,
  redactSubjectOrders,
} from "./customer-data.repository.server";
import { orderSectionData, profileSectionData, type CustomerDataSection } from "./customer-data-document";
import { CUSTOMER_NOTES_DATA_SECTION } from "./customer-notes-data.repository.server";

export const CUSTOMER_DATA_SECTIONS: readonly CustomerDataSection[] = [
  {
    key: "profile",
    title: "Customer profile",
    collect: async (db, subject) => profileSectionData(await findCustomerProfile(db, subject), subject.currencyCode),
    redact: (db, subject, at) => redactCustomerProfile(db, subject, at),
  },
  {
    key: "orders",
    title: "Orders, with their line items and refunds",
    collect: async (db, subject) => (await findSubjectOrders(db, subject)).map(orderSectionData),
    redact: (db, subject) => redactSubjectOrders(db, subject),
  },
  LOYALTY_CUSTOMER_DATA_SECTION,
  CUSTOMER_NOTES_DATA_SECTION,
  SURVEY_CUSTOMER_DATA_SECTION,
];
