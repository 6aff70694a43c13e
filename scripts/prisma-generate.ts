// `npm install` runs this: generates the Prisma client offline (see prisma/prisma-cli.ts).
import { prisma } from "../prisma/prisma-cli";

await prisma(["generate"]);
console.log("Prisma client generated");
