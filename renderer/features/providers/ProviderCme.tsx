import type { ComplianceAnswer, ProviderPage } from '../../../common/providers-api';
import { ActivityTopics } from './ActivityTopics';
import { RequirementBar } from './RequirementBar';
import { RuleSource } from './RuleSource';

/**
 * CME progress per license requirement, with what was not evaluated, where the rule comes from and
 * its caveats; with `onTopicsChanged`, a coordinator can correct each activity's topics below.
 */
export function ProviderCme({
  page,
  compliance,
  onTopicsChanged,
}: {
  page: ProviderPage;
  compliance: ComplianceAnswer;
  onTopicsChanged?: (message: string) => void;
}) {
  return (
    <>
      <h2>CME</h2>
      <p>
        {page.cme.totals.totalCredits} credits from {page.cme.totals.activities} activities (each counted once across
        transcripts and certificates).
      </p>
      {compliance.licenses.map((l) => (
        <div key={l.state} className="card">
          <h3>
            {l.state} license{l.license?.number ? ` ${l.license.number}` : ''}
          </h3>
          <p className={l.status === 'met' ? 'tone-ok' : 'tone-warn'}>{l.message}</p>
          {l.cycle?.approximate && <p className="hint">{l.cycle.note}</p>}
          <ul className="field-list">
            {l.total && <RequirementBar requirement={l.total} activities={compliance.activities} />}
            {l.categoryMinimums.map((c) => (
              <RequirementBar key={c.label} requirement={c} activities={compliance.activities} />
            ))}
            {l.topics.map((t) =>
              t.applies ? (
                <RequirementBar key={t.label} requirement={t} activities={compliance.activities} showTopics />
              ) : (
                <li key={t.label} className="muted">
                  {t.label}: only for controlled-substance prescribers (none on file)
                </li>
              ),
            )}
          </ul>
          {l.notEvaluated.map((n) => (
            <p key={n} className="hint">
              Not evaluated: {n}
            </p>
          ))}
          {l.source && <RuleSource source={l.source} />}
        </div>
      ))}
      {onTopicsChanged && (
        <ActivityTopics providerId={page.provider.id} activities={compliance.activities} onChanged={onTopicsChanged} />
      )}
    </>
  );
}
