-- Customers' phone and postal address are not needed for search (name and e-mail) or the country
-- filter (country_code): not stored at all (PRIVACY.md). Customer 360 reads them live from Shopify.
-- AlterTable
ALTER TABLE "customers" DROP COLUMN "city",
DROP COLUMN "phone",
DROP COLUMN "province";

