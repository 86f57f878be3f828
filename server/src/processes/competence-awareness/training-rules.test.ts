import { describe, expect, it } from 'vitest';
import { competenceGap } from './competence-rules.ts';
import { nextRoundFrom, quizForEmployee, quizProblems, scoreQuiz } from './training-rules.ts';

const quiz = {
  passMark: 67,
  questions: [
    { id: 'q1', text: 'Phishing?', options: ['report', 'click'], correct: [0] },
    { id: 'q2', text: 'Strong passwords?', options: ['long', 'reused', 'unique'], correct: [0, 2] },
    { id: 'q3', text: 'Clean desk?', options: ['yes', 'no'], correct: [0] },
  ],
};

describe('training rules', () => {
  it('scores exactly-right answers only, rounding down, against the pass mark', () => {
    expect(
      scoreQuiz(quiz, [
        { questionId: 'q1', selected: [0] },
        { questionId: 'q2', selected: [2, 0] },
        { questionId: 'q3', selected: [0] },
      ]),
    ).toEqual({
      score: 100,
      right: 3,
      total: 3,
      passed: true,
    });
    // q2 half right counts as wrong; 2 of 3 = 66 % < 67 %
    expect(
      scoreQuiz(quiz, [
        { questionId: 'q1', selected: [0] },
        { questionId: 'q2', selected: [0] },
        { questionId: 'q3', selected: [0] },
      ]),
    ).toMatchObject({
      score: 66,
      passed: false,
    });
    expect(
      scoreQuiz({ ...quiz, passMark: 66 }, [
        { questionId: 'q1', selected: [0] },
        { questionId: 'q3', selected: [0] },
      ]).passed,
    ).toBe(true);
    expect(scoreQuiz(quiz, [{ questionId: 'q1', selected: [0, 1] }]).score).toBe(0);
    expect(scoreQuiz(quiz, []).score).toBe(0);
  });

  it('never shows the correct answers to employees', () => {
    const shown = quizForEmployee(quiz);
    expect(JSON.stringify(shown)).not.toContain('correct');
    expect(shown.questions[1]).toEqual({ id: 'q2', text: 'Strong passwords?', options: ['long', 'reused', 'unique'] });
  });

  it('names the problems of a quiz definition', () => {
    expect(quizProblems(quiz)).toEqual([]);
    expect(quizProblems({ passMark: 50, questions: [] })).toEqual([['questions', { key: 'errors:training.quizNoQuestion' }]]);
    expect(quizProblems({ passMark: 50, questions: [{ text: 'x', options: ['a'], correct: [3] }] }).map((p) => p[0])).toEqual([
      'questions.0.options',
      'questions.0.correct',
    ]);
  });

  it('brings a recurring training round again once the last completion is old enough', () => {
    expect(nextRoundFrom('2025-03-02T10:00:00.000Z', 12, '2026-03-01')).toBeNull();
    expect(nextRoundFrom('2025-03-02T10:00:00.000Z', 12, '2026-03-02')).toBe('2026-03-02');
    expect(nextRoundFrom('2025-03-02T10:00:00.000Z', null, '2030-01-01')).toBeNull();
    expect(nextRoundFrom(null, 12, '2030-01-01')).toBeNull();
  });

  it('treats a competence as valid through its expiry day', () => {
    expect(competenceGap(null, '2026-03-02')).toBe('missing');
    expect(competenceGap({ expiresOn: '2026-03-02' }, '2026-03-02')).toBeNull();
    expect(competenceGap({ expiresOn: '2026-03-01' }, '2026-03-02')).toBe('expired');
    expect(competenceGap({ expiresOn: null }, '2099-01-01')).toBeNull();
  });
});
