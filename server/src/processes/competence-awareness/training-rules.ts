/**
 * Training rules (ISO 27001 7.3 awareness, A.6.3 information security awareness, education and training). Pure.
 */
import type { Text } from '../../i18n/i18n.ts';
import { errorText } from '../../shared/errors.ts';
import { addMonths } from '../records-control/record-rules.ts';

export interface QuizQuestion {
  id: string;
  text: string;
  options: string[];
  /** indexes into options; a question may have several correct options */
  correct: number[];
}

export interface Quiz {
  passMark: number;
  questions: QuizQuestion[];
}

/** What an employee sees: the questions and options, never the correct answers. */
export function quizForEmployee(quiz: Quiz) {
  return { passMark: quiz.passMark, questions: quiz.questions.map((q) => ({ id: q.id, text: q.text, options: q.options })) };
}

/**
 * Scores the answers server-side: a question counts as right only when exactly its correct options are selected.
 * Score in whole percent (rounded down, so that 2 of 3 is 66 % and does not pass a 67 % mark); passed when score >= passMark.
 */
export function scoreQuiz(quiz: Quiz, answers: { questionId: string; selected: number[] }[]) {
  const given = new Map(answers.map((a) => [a.questionId, new Set(a.selected)]));
  let right = 0;
  for (const q of quiz.questions) {
    const sel = given.get(q.id);
    if (sel && sel.size === q.correct.length && q.correct.every((c) => sel.has(c))) right++;
  }
  const score = quiz.questions.length ? Math.floor((right * 100) / quiz.questions.length) : 100;
  return { score, right, total: quiz.questions.length, passed: score >= quiz.passMark };
}

/** Problems of a quiz definition, as [field, message]; empty when it is usable. */
export function quizProblems(quiz: {
  passMark: number;
  questions: { text: string; options: string[]; correct: number[] }[];
}): [string, Text][] {
  const out: [string, Text][] = [];
  if (quiz.questions.length === 0) out.push(['questions', errorText('training.quizNoQuestion')]);
  quiz.questions.forEach((q, i) => {
    if (q.options.length < 2) out.push([`questions.${i}.options`, errorText('training.questionTwoOptions')]);
    if (q.correct.length === 0) out.push([`questions.${i}.correct`, errorText('training.markCorrect')]);
    if (q.correct.some((c) => c >= q.options.length)) out.push([`questions.${i}.correct`, errorText('training.correctIsOption')]);
  });
  return out;
}

/**
 * Whether a recurring training comes round again: the last completion is `recurrenceMonths` old or older on `today`.
 * Returns the day the next round falls due, or null.
 */
export function nextRoundFrom(completedAt: string | null, recurrenceMonths: number | null, today: string): string | null {
  if (!completedAt || !recurrenceMonths) return null;
  const due = addMonths(completedAt.slice(0, 10), recurrenceMonths);
  return due <= today ? due : null;
}
