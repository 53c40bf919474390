/*
 * The AWS SDK's notice that its releases from 2027 will need Node 22, printed
 * once by every process that loads it. The project runs on Node 20 and up
 * (package.json engines); every other warning is still printed.
 */
const printers = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!`${warning.name} ${warning.message}`.includes('NodeVersionSupportWarning')) for (const print of printers) print(warning);
});
