/**
 * @module
 * The security questions of eID activation (IDENTITY-NOTES §2: the citizen chooses and answers
 * two questions from a catalogue). Answers are normalised before hashing so that the citizen
 * does not have to retype them exactly: Unicode NFC, trimmed, runs of white space collapsed
 * to one space, case-folded, Vietnamese diacritics stripped (`đ` → `d`). Stored as
 * `mac('security-answer', accountId + ':' + questionId + ':' + normalised)`; never in clear.
 */
import type { RequestContext } from '../http/context.ts';
import { ProblemError } from '../http/problem.ts';
import type { Queryable } from '../store/db.ts';

export interface SecurityQuestion {
  id: string;
  /** The question as the app shows it (Vietnamese). */
  text: string;
  /** An English gloss for integrators. */
  en: string;
}

export const SECURITY_QUESTIONS: readonly SecurityQuestion[] = [
  { id: 'q1', text: 'Tên trường tiểu học đầu tiên của bạn là gì?', en: 'Name of your first primary school?' },
  {
    id: 'q2',
    text: 'Tên người bạn thân nhất thời thơ ấu của bạn là gì?',
    en: 'Name of your best childhood friend?',
  },
  { id: 'q3', text: 'Tên con vật nuôi đầu tiên của bạn là gì?', en: 'Name of your first pet?' },
  { id: 'q4', text: 'Món ăn yêu thích của bạn là gì?', en: 'Your favourite dish?' },
  { id: 'q5', text: 'Bạn sinh ra ở bệnh viện nào?', en: 'In which hospital were you born?' },
  { id: 'q6', text: 'Tên giáo viên chủ nhiệm lớp 1 của bạn là gì?', en: 'Name of your first-grade teacher?' },
  { id: 'q7', text: 'Quê ngoại của bạn ở đâu?', en: "Your mother's home town?" },
  { id: 'q8', text: 'Biệt danh thời nhỏ của bạn là gì?', en: 'Your childhood nickname?' },
];

/** How many questions an account answers. */
export const REQUIRED_QUESTIONS = 2;

/** The normalised form an answer is hashed in. */
export function normaliseAnswer(answer: string): string {
  return answer
    .normalize('NFC')
    .trim()
    .replace(/\s+/gu, ' ')
    .toLowerCase()
    .replace(/đ/gu, 'd')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC');
}

export interface SecurityAnswer {
  questionId: string;
  answer: string;
}

const macOf = (
  rc: Pick<RequestContext, 'secrets'>,
  accountId: string,
  questionId: string,
  normalised: string,
) => rc.secrets.mac('security-answer', `${accountId}:${questionId}:${normalised}`);

/** Checks the choice (two distinct catalogue questions, non-empty answers) and replaces the stored answers. */
export async function storeSecurityAnswers(
  tx: Queryable,
  rc: Pick<RequestContext, 'secrets' | 'at'>,
  accountId: string,
  answers: readonly SecurityAnswer[],
): Promise<void> {
  const normalised = validateAnswers(answers);
  await tx.query('DELETE FROM security_answers WHERE account_id = $1', [accountId]);
  for (const [questionId, value] of normalised) {
    await tx.query(
      'INSERT INTO security_answers (account_id, question_id, answer_mac, created_at) VALUES ($1, $2, $3, $4)',
      [accountId, questionId, macOf(rc, accountId, questionId, value), rc.at],
    );
  }
}

/** Whether the account chose security questions. */
export async function hasSecurityAnswers(q: Queryable, accountId: string): Promise<boolean> {
  const { rows } = await q.query('SELECT 1 FROM security_answers WHERE account_id = $1 LIMIT 1', [accountId]);
  return rows.length > 0;
}

/** True when every given answer matches the stored one for its question (and all were given). */
export async function securityAnswersMatch(
  q: Queryable,
  rc: Pick<RequestContext, 'secrets'>,
  accountId: string,
  answers: readonly SecurityAnswer[],
): Promise<boolean> {
  const { rows } = await q.query<{ question_id: string; answer_mac: string }>(
    'SELECT question_id, answer_mac FROM security_answers WHERE account_id = $1',
    [accountId],
  );
  if (rows.length === 0 || answers.length !== rows.length) return false;
  const stored = new Map(rows.map((r) => [r.question_id, r.answer_mac]));
  let ok = true;
  for (const a of answers) {
    const mac = stored.get(a.questionId);
    const value = `${accountId}:${a.questionId}:${normaliseAnswer(a.answer)}`;
    if (mac === undefined || !rc.secrets.macEquals('security-answer', value, mac)) ok = false;
  }
  return ok;
}

function validateAnswers(answers: readonly SecurityAnswer[]): Map<string, string> {
  if (answers.length !== REQUIRED_QUESTIONS)
    throw new ProblemError('invalid_request', {
      detail: `exactly ${REQUIRED_QUESTIONS} security questions must be answered`,
      extra: { pointer: '/answers' },
    });
  const known = new Set(SECURITY_QUESTIONS.map((q) => q.id));
  const out = new Map<string, string>();
  answers.forEach((a, i) => {
    if (!known.has(a.questionId))
      throw new ProblemError('invalid_request', {
        detail: 'not a question of the catalogue',
        extra: { pointer: `/answers/${i}/questionId` },
      });
    if (out.has(a.questionId))
      throw new ProblemError('invalid_request', {
        detail: 'the questions must be different',
        extra: { pointer: `/answers/${i}/questionId` },
      });
    const value = normaliseAnswer(a.answer);
    if (value.length < 2)
      throw new ProblemError('invalid_request', {
        detail: 'the answer is too short',
        extra: { pointer: `/answers/${i}/answer` },
      });
    out.set(a.questionId, value);
  });
  return out;
}
