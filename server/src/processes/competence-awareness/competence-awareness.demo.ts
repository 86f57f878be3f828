import type { DemoStep } from '../../engine/module.ts';
import { scopeRoles } from '../../auth/roles.ts';
import { addPersonCompetence, createCompetence, createJobRole, updatePerson } from './competence.service.ts';
import { addTarget, createCourse, listMyTrainings, submitQuiz } from './training.service.ts';
import { utcDatePlusDays } from '../../shared/clock.ts';
import { type DemoContext, demoWords, memberActor, userIdOf } from '../../demo/demo-context.ts';
import { de } from './competence-awareness.demo.de.ts';

/** What the demo's competences, job roles, course and quiz say; German in competence-awareness.demo.de.ts. */
const en = {
  questions: [
    {
      text: 'An email from a known supplier asks you to update their bank details. What do you do?',
      options: ['Update the details as asked', 'Call the supplier on the number you already know', 'Reply and ask for confirmation'],
    },
    {
      text: 'Which of these may you share with the IT helpdesk?',
      options: ['Your password', 'The code from your authenticator app', 'Your user name and a description of the problem'],
    },
    {
      text: 'You notice that a customer list was sent to the wrong address. When do you report it?',
      options: ['At once, through the incident report', 'At the next team meeting', 'Only if the recipient complains'],
    },
  ],
  awareness: {
    name: 'Security awareness',
    description: 'Recognises phishing and social engineering, knows the rules of the security policy and how to report incidents.',
  },
  admin: {
    name: 'Directory and backup administration',
    description: 'Manages accounts, groups and privileged access in the directory service; runs and restores backups.',
  },
  secureDev: {
    name: 'Secure software development',
    description: 'Writes code that avoids the common web vulnerabilities and keeps third-party libraries up to date.',
  },
  itAdmin: { name: 'IT administrator', description: 'Runs the servers, the directory service, the network and the backups.' },
  developer: { name: 'Software developer', description: 'Develops and maintains the customer web shop and internal tools.' },
  departments: { it: 'IT', dev: 'Engineering', hr: 'Human resources', staff: 'Sales' },
  adminEvidence: 'Vendor certification for the directory service',
  secureDevEvidence: 'Secure coding workshop, certificate of attendance',
  course: {
    title: 'Security awareness basics',
    description: 'Read the information security policy, then answer three questions about phishing, passwords and reporting.',
  },
};
export type AwarenessDemoWords = typeof en;

/** The quiz's pass mark and right answers (the same in every language; the words come from the language's questions). */
const quiz = { passMark: 66, correct: [[1], [2], [0]] };

/**
 * Competence and awareness (ISO 27001 7.2, 7.3, A.6.3): competences, two job roles that require them, the people's
 * departments and roles, a yearly awareness course with a quiz assigned to everyone in the scope, and two completions
 * (which record the awareness competence for the people who passed).
 */
export async function seedDemoAwareness(ctx: DemoContext, material: { policyId: string }) {
  const { deps, actor, scopeId } = ctx;
  const w = demoWords(ctx, { en, de });
  const today = deps.clock.now();
  const awareness = await createCompetence(deps, actor, scopeId, {
    ...w.awareness,
    validityMonths: 12,
  });
  const admin = await createCompetence(deps, actor, scopeId, {
    ...w.admin,
    validityMonths: null,
  });
  const secureDev = await createCompetence(deps, actor, scopeId, {
    ...w.secureDev,
    validityMonths: 36,
  });
  // ISO 27001 7.2 a: the competence each job role needs
  const itAdmin = await createJobRole(deps, actor, scopeId, {
    ...w.itAdmin,
    competenceIds: [awareness.id, admin.id],
  });
  const developer = await createJobRole(deps, actor, scopeId, {
    ...w.developer,
    competenceIds: [awareness.id, secureDev.id],
  });
  const profiles: [string, string, string[]][] = [
    ['it', w.departments.it, [itAdmin.id]],
    ['dev', w.departments.dev, [developer.id]],
    ['hr', w.departments.hr, []],
    ['staff', w.departments.staff, []],
  ];
  for (const [key, department, jobRoleIds] of profiles) {
    if (ctx.people.has(key)) await updatePerson(deps, actor, scopeId, userIdOf(ctx, key), { version: 0, department, jobRoleIds });
  }
  // ISO 27001 7.2 d: evidence of competence
  if (ctx.people.has('it'))
    await addPersonCompetence(deps, actor, scopeId, userIdOf(ctx, 'it'), {
      competenceId: admin.id,
      evidence: w.adminEvidence,
      acquiredOn: utcDatePlusDays(today, -500),
    });
  if (ctx.people.has('dev'))
    await addPersonCompetence(deps, actor, scopeId, userIdOf(ctx, 'dev'), {
      competenceId: secureDev.id,
      evidence: w.secureDevEvidence,
      acquiredOn: utcDatePlusDays(today, -200),
    });

  // ISO 27001 7.3, A.6.3: a yearly awareness course with a short quiz, for everyone in the scope
  const course = await createCourse(deps, actor, scopeId, {
    ...w.course,
    materialDocumentId: material.policyId,
    materialUrl: null,
    quiz: { passMark: quiz.passMark, questions: w.questions.map((q, i) => ({ ...q, correct: quiz.correct[i]! })) },
    dueDays: 30,
    recurrenceMonths: 12,
    grantsCompetenceId: awareness.id,
  });
  for (const role of scopeRoles) {
    await addTarget(deps, actor, scopeId, course.id, { targetType: 'scope_role', targetValue: role });
  }
  // two people have done it: one with every answer right, one with two of three (still a pass)
  const completions: [string, number[]][] = [
    ['staff', [1, 2, 0]],
    ['hr', [1, 2, 2]],
  ];
  for (const [key, answers] of completions) {
    if (!ctx.people.has(key)) continue;
    const learner = memberActor(ctx, key);
    const mine = (await listMyTrainings(deps, learner)).items.find((a) => a.course.id === course.id);
    if (!mine?.quiz) continue;
    await submitQuiz(deps, learner, mine.id, {
      version: mine.version,
      answers: mine.quiz.questions.map((q, i) => ({ questionId: q.id, selected: [answers[i]!] })),
    });
  }
  return { courseId: course.id };
}

/** Job roles, competences and an awareness course with a quiz. */
export const competenceAwarenessDemo: DemoStep = {
  order: 60,
  run: async (ctx) => {
    if (!ctx.facts.policyId) return;
    await seedDemoAwareness(ctx, { policyId: ctx.facts.policyId });
  },
};
