import { demoWords, memberActor, userIdOf } from '../../demo/demo-context.ts';
import type { DemoStep } from '../../engine/module.ts';
import { utcDatePlusDays } from '../../shared/clock.ts';
import { addDecision, createReview, transitionReview, updateReview } from './management-review.service.ts';
import { de } from './management-review.demo.de.ts';

/** What the demo's management review says; German in management-review.demo.de.ts. */
const en = {
  title: 'Annual management review of the ISMS',
  issues: 'The company moved its customer data to a cloud provider in spring; NIS2 applies to two of our customers.',
  interestedParties: 'Customers now ask for an ISO 27001 certificate in their supplier assessments.',
  feedback: 'One customer audit this year, no complaints about information security.',
  leaversTitle: 'Remove access of leavers on their last day',
  leaversDescription: 'HR informs IT of every leaver a week ahead; IT removes the accounts on the last working day.',
  cloudTitle: 'Add the cloud provider to the scope of the ISMS',
  cloudDescription: 'Update the scope statement, the asset register and the supplier controls.',
  discussion:
    'The ISMS works as intended. Access of leavers was removed late twice (internal audit): a corrective action is decided. The move to the cloud provider changes the scope: a change request is raised. The budget for the next year stays as planned.',
};
export type ReviewDemoWords = typeof en;

/**
 * The yearly management review, held today with the managing director in the chair: inputs compiled from the demo's
 * records of the past year and frozen, two decisions (a corrective action for improvement, a change request), minutes
 * approved by the chair. After the other steps, so that their incidents, risks, measurements and audit feed its inputs.
 */
export const managementReviewDemo: DemoStep = {
  order: 110,
  async run(ctx) {
    const { deps, actor, scopeId } = ctx;
    const w = demoWords(ctx, { en, de });
    const day = (d: number) => utcDatePlusDays(deps.clock.now(), d);
    const chairId = userIdOf(ctx, 'md');
    const itId = userIdOf(ctx, 'it');
    let review = await createReview(deps, actor, scopeId, {
      title: w.title,
      chairId,
      plannedOn: day(0),
      periodFrom: day(-365),
      periodTo: day(0),
      quorum: 2,
      attendeeIds: [actor.userId, itId],
    });
    review = await updateReview(deps, actor, scopeId, review.id, {
      version: review.version,
      attendees: review.attendees.map((a) => ({ userId: a.id, present: true })),
      commentary: {
        issues: w.issues,
        interestedParties: w.interestedParties,
        feedback: w.feedback,
      },
    });
    review = await transitionReview(deps, actor, scopeId, review.id, { version: review.version, to: 'compiled' });
    review = await transitionReview(deps, actor, scopeId, review.id, { version: review.version, to: 'held' });
    review = await addDecision(deps, actor, scopeId, review.id, {
      version: review.version,
      kind: 'corrective_action',
      title: w.leaversTitle,
      description: w.leaversDescription,
      ownerId: itId,
      dueOn: day(30),
    });
    review = await addDecision(deps, actor, scopeId, review.id, {
      version: review.version,
      kind: 'change_request',
      title: w.cloudTitle,
      description: w.cloudDescription,
      ownerId: actor.userId,
      dueOn: day(60),
    });
    review = await updateReview(deps, actor, scopeId, review.id, {
      version: review.version,
      discussion: w.discussion,
    });
    const chair = ctx.people.has('md') ? memberActor(ctx, 'md') : actor;
    await transitionReview(deps, chair, scopeId, review.id, { version: review.version, to: 'approved' });
  },
};
