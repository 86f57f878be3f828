/**
 * The 47 elementary threats of BSI IT-Grundschutz (G 0.1 – G 0.47), by number and English title, grouped by the
 * threat types of ISO/IEC 27005. Migration 0006_risks seeds them as the built-in threat catalog (scope_id null,
 * source 'builtin'). The migration is frozen: never edit or reorder an entry here; correct one with a new migration.
 */
export const threatCategories = ['physical', 'natural', 'infrastructure', 'technical', 'human', 'compromise', 'organisational'] as const;
export type ThreatCategory = (typeof threatCategories)[number];

export interface ElementaryThreat {
  code: string;
  title: string;
  category: ThreatCategory;
}

const t = (n: number, title: string, category: ThreatCategory): ElementaryThreat => ({ code: `G 0.${n}`, title, category });

export const bsiElementaryThreats: readonly ElementaryThreat[] = [
  t(1, 'Fire', 'physical'),
  t(2, 'Unfavourable climatic conditions', 'natural'),
  t(3, 'Water', 'physical'),
  t(4, 'Pollution, dust, corrosion', 'physical'),
  t(5, 'Natural disasters', 'natural'),
  t(6, 'Catastrophes in the vicinity', 'physical'),
  t(7, 'Major events in the vicinity', 'physical'),
  t(8, 'Failure or disruption of the power supply', 'infrastructure'),
  t(9, 'Failure or disruption of communication networks', 'infrastructure'),
  t(10, 'Failure or disruption of supply networks', 'infrastructure'),
  t(11, 'Failure or disruption of service providers', 'infrastructure'),
  t(12, 'Electromagnetic interference', 'physical'),
  t(13, 'Interception of compromising emissions', 'compromise'),
  t(14, 'Interception of information / espionage', 'compromise'),
  t(15, 'Eavesdropping', 'compromise'),
  t(16, 'Theft of devices, storage media and documents', 'compromise'),
  t(17, 'Loss of devices, storage media and documents', 'human'),
  t(18, 'Poor planning or lack of adaptation', 'organisational'),
  t(19, 'Disclosure of sensitive information', 'compromise'),
  t(20, 'Information or products from an unreliable source', 'organisational'),
  t(21, 'Manipulation of hardware or software', 'human'),
  t(22, 'Manipulation of information', 'human'),
  t(23, 'Unauthorised access to IT systems', 'human'),
  t(24, 'Destruction of devices or storage media', 'human'),
  t(25, 'Failure of devices or systems', 'technical'),
  t(26, 'Malfunction of devices or systems', 'technical'),
  t(27, 'Lack of resources', 'organisational'),
  t(28, 'Software vulnerabilities or errors', 'technical'),
  t(29, 'Violation of laws or regulations', 'organisational'),
  t(30, 'Unauthorised use or administration of devices and systems', 'human'),
  t(31, 'Incorrect use or administration of devices and systems', 'human'),
  t(32, 'Misuse of authorisation', 'human'),
  t(33, 'Shortage of personnel', 'organisational'),
  t(34, 'Assault', 'human'),
  t(35, 'Coercion, blackmail or corruption', 'human'),
  t(36, 'Identity theft', 'human'),
  t(37, 'Repudiation of actions', 'human'),
  t(38, 'Misuse of personal information', 'compromise'),
  t(39, 'Malware', 'technical'),
  t(40, 'Denial of service', 'technical'),
  t(41, 'Sabotage', 'human'),
  t(42, 'Social engineering', 'human'),
  t(43, 'Attack with specially crafted messages', 'technical'),
  t(44, 'Unauthorised entry to premises', 'physical'),
  t(45, 'Data loss', 'compromise'),
  t(46, 'Loss of integrity of sensitive information', 'compromise'),
  t(47, 'Harmful side effects of IT-supported attacks', 'compromise'),
];
