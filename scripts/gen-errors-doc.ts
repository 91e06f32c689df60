import { writeFileSync } from "fs";
import { renderErrorsDoc } from "./errors-doc";

writeFileSync("docs/errors.md", renderErrorsDoc());
console.log("wrote docs/errors.md");
