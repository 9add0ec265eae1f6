/**
 * Creates the Forum des Alliances example event in the data folder and prints its links:
 *   npm run seed            (PUBLIC_URL and DATA_DIR as for the server)
 * Works while the server runs: SQLite's WAL lets both open the file.
 */
import { formatJoinCode } from '../../shared/domain/joinCode.ts';
import { EventSetup } from '../../shared/schemas/event.ts';
import { exampleSetup } from '../../shared/example.ts';
import { createApp } from '../app.ts';
import { readConfig } from '../config.ts';
import { openDatabase } from '../db/index.ts';
import { silentLogger } from '../logger.ts';
import { createEvent } from '../features/events.ts';

const config = readConfig();
const db = openDatabase(config.dbFile);
const app = createApp({ db, clock: { now: () => Date.now() }, logger: silentLogger, config: { publicUrl: config.publicUrl } });
const created = db.transaction(() => createEvent(app.services, EventSetup.parse(exampleSetup()), Date.now()))();
if (!created.ok) throw new Error(`The example event could not be created: ${created.code}`);
const { event, links } = created.data;
await app.close();
db.close();

const lines = [
  `${event.title}`,
  ``,
  `  Code pour rejoindre / Join code : ${formatJoinCode(links.joinCode)}`,
  `  Rejoindre / Join               : ${links.join}`,
  `  Animation / Facilitator (secret): ${links.facilitator}`,
  `  Co-animation / Co-facilitator   : ${links.cofacilitator}`,
  `  Projecteur / Projector          : ${links.projector}`,
  `  Code QR / QR code               : ${config.publicUrl}${links.qrUrl}`,
  ``,
  `  Données / Data: ${config.dbFile}`,
];
process.stdout.write(lines.join('\n') + '\n');
