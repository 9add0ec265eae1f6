import { describe, expect, it } from 'vitest';
import { foldAccents, keywords, onView, personalData, similarity, similarQuestions } from '../../shared/domain/questions.ts';
import scenario from '../../shared/scenario/forum-bsl.json' with { type: 'json' };

describe('[QU1] French-aware keywords', () => {
  it('folds accents, splits elisions, drops stop words and stems', () => {
    expect(foldAccents('Épicerie à côté')).toBe('epicerie a cote');
    expect(keywords("Qu'est-ce que l'Alliance finance?")).toEqual(['allianc', 'financ']);
    expect(keywords('Les financements des organismes')).toEqual(keywords('le financement d’un organisme'));
    expect(keywords('Où trouver les documents présentés?')).toEqual(keywords('ou trouver le document presente'));
    expect(keywords('Où trouver les documents présentés?')).toHaveLength(3);
  });
});

describe('[QU2] questions that look alike', () => {
  const existing = scenario.sampleQuestions.map((text, i) => ({ id: `q${i}`, text }));

  it('finds the same question asked with other words, accents and elisions', () => {
    const asked = 'Combien d’argent va recevoir chaque MRC du FQIS ?';
    const found = similarQuestions(asked, existing);
    expect(found[0]?.question.text).toBe("Combien d'argent chaque MRC va-t-elle recevoir du FQIS?");
    expect(found[0]?.score).toBeGreaterThan(0.8);
  });

  it('keeps different questions apart', () => {
    expect(similarity('Qui siège à la Table régionale?', 'Où trouver les documents présentés aujourd’hui?')).toBeLessThan(0.2);
    expect(similarQuestions('Quand aura lieu le prochain forum?', existing)).toEqual([]);
    expect(similarity('', 'Quoi?')).toBe(0);
  });

  it('matches a plural with its singular and a text without its accents', () => {
    expect(similarity('Les personnes citoyennes seront-elles compensées?', 'personne citoyenne compensee')).toBe(1);
  });
});

describe('[QU3] personal data warnings', () => {
  const places = [...scenario.territories, ...scenario.axes.map((a) => a.title), 'Table régionale', 'Bas-Saint-Laurent'];

  it('spots emails and phone numbers however they are written', () => {
    expect(personalData('Écrivez-moi à marie.tremblay@exemple.qc.ca svp')).toEqual(['email']);
    for (const phone of ['418 555-1234', '(418) 555 1234', '+1 418.555.1234', '4185551234']) {
      expect(personalData(`Appelez au ${phone} pour en savoir plus`), phone).toEqual(['phone']);
    }
  });

  it('spots names with a title or as first and last name, but not the places of the region', () => {
    expect(personalData('Est-ce que Mme Gagnon sera présente?', places)).toEqual(['name']);
    expect(personalData('Pourquoi Jean-Pierre Tremblay a refusé notre projet?', places)).toEqual(['name']);
    expect(personalData('Le financement pour Rivière-du-Loup et La Mitis est-il garanti?', places)).toEqual([]);
    expect(personalData('Comment la Table régionale sera-t-elle paritaire?', places)).toEqual([]);
    expect(personalData('Quelle est la date limite pour déposer le plan?', places)).toEqual([]);
  });
});

describe('[QU2] precision and recall on a labelled set of paraphrases', () => {
  // Pairs asked at a forum like this one: the same question in other words (true), or a different one (false).
  const pairs: [string, string, boolean][] = [
    ['Quelle est la date limite pour déposer le plan d’action?', 'Jusqu’à quand peut-on déposer notre plan d’action?', true],
    ["Combien d'argent chaque MRC va-t-elle recevoir?", 'Quel montant recevra chaque MRC?', true],
    ['Les personnes citoyennes seront-elles compensées pour leur participation?', 'Est-ce que la participation des personnes citoyennes sera compensée?', true],
    ['Où trouver les documents présentés aujourd’hui?', 'Les documents présentés seront-ils disponibles quelque part?', true],
    ['Un organisme peut-il déposer plus d’une initiative?', 'Est-ce possible pour un organisme de déposer plusieurs initiatives?', true],
    ['Qui siège à la Table régionale?', 'Quelle est la composition de la Table régionale?', true],
    ['Comment la Table régionale sera-t-elle paritaire?', 'La parité de la Table régionale sera-t-elle respectée?', true],
    ['Les frais de transport seront-ils remboursés?', 'Est-ce que le transport sera remboursé?', true],
    ['Quand aura lieu le prochain forum?', 'La date du prochain forum est-elle connue?', true],
    ['Les MRC rurales auront-elles leur part du financement?', 'Le financement ira-t-il aussi aux MRC rurales?', true],
    ['Qui siège à la Table régionale?', 'Où trouver les documents présentés aujourd’hui?', false],
    ['Les frais de transport seront-ils remboursés?', 'Quand aura lieu le prochain forum?', false],
    ['Un organisme peut-il déposer plus d’une initiative?', 'Quelle est la date limite pour déposer le plan d’action?', false],
    ['Comment la Table régionale sera-t-elle paritaire?', 'Qui siège à la Table régionale?', false],
    ['Les personnes citoyennes seront-elles compensées pour leur participation?', 'Les frais de transport seront-ils remboursés?', false],
    ['Le financement ira-t-il aussi aux MRC rurales?', 'Quand aura lieu le prochain forum?', false],
    ['Comment déposer une initiative en ligne?', 'Un organisme peut-il déposer plus d’une initiative?', false],
    ['Les documents présentés seront-ils disponibles quelque part?', 'Quelle est la composition de la Table régionale?', false],
  ];

  it('finds most duplicates and merges few distinct questions (threshold 0.4)', () => {
    let tp = 0,
      fp = 0,
      fn = 0;
    for (const [a, b, same] of pairs) {
      const found = similarity(a, b) >= 0.4;
      if (found && same) tp++;
      else if (found && !same) fp++;
      else if (!found && same) fn++;
    }
    const precision = tp / Math.max(1, tp + fp);
    const recall = tp / Math.max(1, tp + fn);
    console.log(`[QU2] on ${pairs.length} labelled pairs: precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)} (tp ${tp}, fp ${fp}, fn ${fn})`);
    expect(precision).toBeGreaterThanOrEqual(0.8);
    expect(recall).toBeGreaterThanOrEqual(0.5);
  });
});

describe('[QU4] what the room sees', () => {
  it('approved questions only: never pending, hidden, merged or withdrawn ones', () => {
    const statuses = ['pending', 'visible', 'hidden', 'merged', 'withdrawn'] as const;
    expect(statuses.filter((s) => onView(s))).toEqual(['visible']);
  });
});
