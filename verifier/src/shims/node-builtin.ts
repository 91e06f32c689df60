/**
 * Stands in for Node's fs, path and crypto in the browser bundle. The SDK modules the page imports
 * use them only in functions the page never calls (loading deployments from disk, hashing files
 * from disk): the page hashes in its Web Worker and reads the deployment from JSON.
 */
function unavailable(name: string): () => never {
  return () => {
    throw new Error(`${name} is not available in the browser`);
  };
}

export const existsSync = unavailable("fs.existsSync");
export const readdirSync = unavailable("fs.readdirSync");
export const readFileSync = unavailable("fs.readFileSync");
export const createReadStream = unavailable("fs.createReadStream");
export const createHash = unavailable("crypto.createHash");

const path = {
  join: unavailable("path.join"),
  resolve: unavailable("path.resolve"),
  basename: unavailable("path.basename"),
  dirname: unavailable("path.dirname"),
  relative: unavailable("path.relative"),
};
export default path;
