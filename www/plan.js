// The campaign plan: one card per campaign in rank order, with its audience, timing, channels,
// message template (copy button) and list download, then how much the audiences overlap.
import { t, name, pick } from './i18n.js';
import { fmtInt, fmtMoney, el } from './format.js';

/** Renders `plan`; `download(index, baseName)` asks the worker for campaign `index`'s list. */
export function renderPlan(plan, download) {
  const list = document.getElementById('plan');
  list.replaceChildren();
  if (!plan) return;
  plan.campaigns.forEach((c, index) => {
    const li = el('li');
    li.dataset.campaign = c.id;
    li.append(el('h3', pick(c.name)), el('p', pick(c.goal), 'meta'));
    if (c.missing) {
      li.append(el('p', `${t('missingData')}: ${pick(c.missing)}`, 'missing'));
      list.append(li);
      return;
    }
    li.append(el('p', pick(c.why), 'why'));
    const people = el('p', undefined, 'meta audience');
    people.append(el('strong', `${fmtInt(c.customers)} ${t('people')}`), ` · ${t('valueAtStake')} ${fmtMoney(c.value_at_stake)} (${pick(c.value_method)})`);
    people.dataset.customers = String(c.customers);
    li.append(people);
    li.append(el('p', `${t('when')}: ${pick(c.timing)}`, 'meta'));
    li.append(el('p', `${t('channels')}: ${c.channels.map(name).join(' · ')} — ${name(c.offer)}`, 'meta'));
    li.append(el('p', pick(c.template), 'template'));
    const actions = el('div', undefined, 'actions');
    const copy = el('button', t('copyTemplate'));
    copy.type = 'button';
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(pick(c.template));
        copy.textContent = t('copied');
      } catch { /* no clipboard permission: the text stays selectable on the card */ }
    });
    const dl = el('button', t('downloadList'));
    dl.type = 'button';
    dl.disabled = c.customers === 0;
    dl.addEventListener('click', () => download(index, `${String(index + 1).padStart(2, '0')}-${c.id}`));
    actions.append(copy, dl);
    li.append(actions);
    list.append(li);
  });
}
