import { describe, expect, it } from 'vitest';
import { foldAccents, keywords, personalData, similarity, similarQuestions } from '../../shared/domain/questions.ts';
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
