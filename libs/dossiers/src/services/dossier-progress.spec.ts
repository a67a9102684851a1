import { isOverdue, stageProgress } from './dossier-progress';

const type = {
  stages: [
    { code: 'received', names: {}, notifiesCitizen: true, final: false },
    { code: 'in-review', names: {}, notifiesCitizen: false, final: false },
    { code: 'closed', names: {}, notifiesCitizen: true, final: true },
  ],
};

describe('the progress of a dossier', () => {
  it('marks the stages up to the current one as reached', () => {
    expect(stageProgress(type, { stageCode: 'in-review' }).map((p) => [p.stage.code, p.reached, p.current])).toEqual([
      ['received', true, false],
      ['in-review', true, true],
      ['closed', false, false],
    ]);
  });

  it('reaches nothing when the stage is no longer in the type', () => {
    expect(stageProgress(type, { stageCode: 'gone' }).some((p) => p.reached || p.current)).toBe(false);
  });

  it('is overdue only while open and past its due date', () => {
    expect(isOverdue({ closedAt: null, dueOn: '2026-01-09' }, '2026-01-10')).toBe(true);
    expect(isOverdue({ closedAt: null, dueOn: '2026-01-10' }, '2026-01-10')).toBe(false);
    expect(isOverdue({ closedAt: new Date(), dueOn: '2026-01-09' }, '2026-01-10')).toBe(false);
  });
});
