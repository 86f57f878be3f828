/** Request and response types come from the server's zod schemas: the client cannot drift from the API silently. */
import type { z } from 'zod';
import type * as assetSchemas from '../../../server/src/processes/asset-management/asset.schemas.ts';
import type * as auditSchemas from '../../../server/src/audit/audit.schemas.ts';
import type * as authSchemas from '../../../server/src/auth/auth.schemas.ts';
import type * as processSchemas from '../../../server/src/isms/process.schemas.ts';
import type * as scopeSchemas from '../../../server/src/scopes/scope.schemas.ts';
import type * as userSchemas from '../../../server/src/users/user.schemas.ts';
import type * as taskSchemas from '../../../server/src/work/task.schemas.ts';

export type SessionResponse = z.infer<typeof authSchemas.sessionResponse>;
export type ApiToken = z.infer<typeof authSchemas.apiTokenResponse>;
export type CreatedApiToken = z.infer<typeof authSchemas.createdApiTokenResponse>;
export type SetupInput = z.input<typeof authSchemas.setupBody>;
export type Scope = z.infer<typeof scopeSchemas.scopeResponse>;
export type Member = z.infer<typeof scopeSchemas.memberResponse>;
export type InviteResult = z.infer<typeof scopeSchemas.inviteMemberResponse>;
export type Invitation = z.infer<typeof scopeSchemas.invitationResponse>;
export type User = z.infer<typeof userSchemas.userResponse>;
export type Asset = z.infer<typeof assetSchemas.assetResponse>;
export type AssetDetail = z.infer<typeof assetSchemas.assetDetailResponse>;
export type CreateAssetInput = z.input<typeof assetSchemas.createAssetBody>;
export type UpdateAssetInput = z.input<typeof assetSchemas.updateAssetBody>;
export type Task = z.infer<typeof taskSchemas.taskResponse>;
export type ProcessInfo = z.infer<typeof processSchemas.processResponse>;
export type ProcessMap = z.infer<typeof processSchemas.processMapResponse>;
export type AuditEntry = z.infer<typeof auditSchemas.auditEntryResponse>;
export type ScopeRole = Member['role'];
