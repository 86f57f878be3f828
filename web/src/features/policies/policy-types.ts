import type { z } from 'zod';
import type * as s from '../../../../server/src/processes/policy-management/document.schemas.ts';

export type DocumentItem = z.infer<typeof s.documentResponse>;
export type DocumentDetail = z.infer<typeof s.documentDetailResponse>;
export type VersionSummary = z.infer<typeof s.versionSummary>;
export type VersionDetail = z.infer<typeof s.versionDetailResponse>;
export type DiffResult = z.infer<typeof s.diffResponse>;
export type AcknowledgementList = z.infer<typeof s.acknowledgementsResponse>;
export type ReadVersion = z.infer<typeof s.readResponse>;
export type MyAcknowledgement = z.infer<typeof s.myAcknowledgementItem>;
export type MyAcknowledgements = z.infer<typeof s.myAcknowledgementsResponse>;
export type CreateDocumentInput = z.input<typeof s.createDocumentBody>;
export type UpdateDocumentInput = z.input<typeof s.updateDocumentBody>;
import { labelsOf } from '../../app/labels.ts';

export type UpdateVersionInput = z.input<typeof s.updateVersionBody>;
export type ReviseInput = z.input<typeof s.reviseBody>;
/** the body of each step of a document version, by the last part of its path */
export interface VersionActionInputs {
  submit: z.input<typeof s.versionActionBody>;
  approve: z.input<typeof s.approveBody>;
  reject: z.input<typeof s.rejectBody>;
  publish: z.input<typeof s.publishBody>;
}
/** the body of each step of a document, by the last part of its path */
export interface DocumentActionInputs {
  revise: ReviseInput;
  review: z.input<typeof s.reviewBody>;
  retire: z.input<typeof s.retireBody>;
}
export type DocumentWrite = VersionActionInputs[keyof VersionActionInputs] | DocumentActionInputs[keyof DocumentActionInputs];
export type DocumentType = DocumentItem['type'];
export type Classification = DocumentItem['classification'];
export type DocumentStatus = DocumentItem['status'];
export type VersionStatus = VersionSummary['status'];

export const documentTypeLabels: Record<DocumentType, string> = labelsOf('policies:type', ['policy', 'standard', 'procedure', 'guideline']);
export const classificationLabels: Record<Classification, string> = labelsOf('policies:classification', [
  'public',
  'internal',
  'confidential',
  'restricted',
]);
export const classificationColors: Record<Classification, string> = {
  public: 'gray',
  internal: 'blue',
  confidential: 'orange',
  restricted: 'red',
};
export const documentStatusLabels: Record<DocumentStatus, string> = labelsOf('policies:documentStatus', [
  'draft',
  'published',
  'retired',
  'disposed',
]);
export const documentStatusColors: Record<DocumentStatus, string> = {
  draft: 'blue',
  published: 'teal',
  retired: 'gray',
  disposed: 'dark',
};
export const versionStatusLabels: Record<VersionStatus, string> = labelsOf('policies:versionStatus', [
  'draft',
  'in_review',
  'approved',
  'published',
  'superseded',
  'retired',
  'withdrawn',
]);
export const versionStatusColors: Record<VersionStatus, string> = {
  draft: 'blue',
  in_review: 'violet',
  approved: 'cyan',
  published: 'teal',
  superseded: 'gray',
  retired: 'gray',
  withdrawn: 'gray',
};
export const audienceLabels: Record<'everyone' | 'roles' | 'people', string> = labelsOf('policies:audience', [
  'everyone',
  'roles',
  'people',
]);
