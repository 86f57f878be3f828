// Runs before `npm start` on whatever Node.js is installed, so it is plain CommonJS that any version can read: an older
// Node.js gets one clear sentence instead of "bad option: --experimental-strip-types".
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  console.error(`Praxis needs Node.js 22.13 or newer (it runs TypeScript directly); this is Node.js ${process.versions.node}.`);
  process.exit(1);
}
