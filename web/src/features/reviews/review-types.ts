import type { z } from 'zod';
import { labelsOf } from '../../app/labels.ts';
import type * as s from '../../../../server/src/processes/management-review/management-review.schemas.ts';

export type Review = z.infer<typeof s.reviewResponse>;
export type ReviewDetail = z.infer<typeof s.reviewDetailResponse>;
export type CompiledInputs = z.infer<typeof s.compiledInputs>;
export type CreateReviewInput = z.input<typeof s.createReviewBody>;
export type UpdateReviewInput = z.input<typeof s.updateReviewBody>;
export type TransitionReviewInput = z.input<typeof s.transitionReviewBody>;
export type AddDecisionInput = z.input<typeof s.addDecisionBody>;
export type ReviewStatus = s.ReviewStatus;
export type DecisionKind = s.DecisionKind;
export type InputSection = s.InputSection;

export const reviewStatuses: readonly ReviewStatus[] = ['planned', 'compiled', 'held', 'approved', 'closed'];
export const decisionKinds: readonly DecisionKind[] = [
  'corrective_action',
  'opportunity',
  'change_request',
  'risk_acceptance',
  'policy_revision',
  'resource',
  'objective',
];
export const inputSections: readonly InputSection[] = [
  'actions',
  'issues',
  'interestedParties',
  'performance',
  'feedback',
  'risks',
  'opportunities',
  'resources',
  'incidents',
];
/** sections without a module in Praxis yet: their content is the owner's text */
export const freeTextSections: readonly InputSection[] = ['issues', 'interestedParties', 'feedback'];

export const statusLabels: Record<ReviewStatus, string> = labelsOf('reviews:status', reviewStatuses);
export const statusColors: Record<ReviewStatus, string> = {
  planned: 'gray',
  compiled: 'blue',
  held: 'orange',
  approved: 'teal',
  closed: 'dark',
};
export const decisionLabels: Record<DecisionKind, string> = labelsOf('reviews:decision', decisionKinds);
export const sectionLabels: Record<InputSection, string> = labelsOf('reviews:section', inputSections);
