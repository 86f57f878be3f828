/**
 * Evidence types. Provisional shapes until the server's evidence.schemas.ts exists; then they become z.infer of it.
 */
export interface Evidence {
  id: string;
  reference: string;
  title: string;
  description: string;
  kind: 'file' | 'link';
  fileName: string | null;
  mediaType: string | null;
  size: number | null;
  url: string | null;
  evidenceDate: string;
  validUntil: string | null;
  expired: boolean;
  createdBy: { id: string; name: string; email: string } | null;
  controls: { id: string; reference: string; title: string }[];
  createdAt: string;
  updatedAt: string;
  version: number;
}
