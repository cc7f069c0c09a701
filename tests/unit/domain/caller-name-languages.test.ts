import { describe, expect, it } from "vitest";

import { extractCallerName } from "../../../domain/caller-name";
import type { Turn, TurnRole } from "../../../domain/conversation";
import { describeNameTable, scoreNameTable } from "./support/name-table";

const user = (text: string): Turn => ({ role: "user", text, timeInCallSecs: 1 });
const agent = (text: string): Turn => ({ role: "agent", text, timeInCallSecs: 0 });

type Row = readonly [text: string, name: string | null, role?: TurnRole];

/**
 * One table per language: a turn of transcribed phone speech per row, with the name it states (null:
 * it names nobody). Companies calling, places, nationalities, moods, "it's me", lines about an order
 * and the agent's own lines must never become a caller's name. Names are invented or very common.
 * `recallFloor` is the recall reached on the table: raise it when the extractor finds more, never lower it.
 */
const SPOKEN: Readonly<Record<string, { readonly rows: readonly Row[]; readonly recallFloor: number }>> = {
  es: {
    recallFloor: 0.95,
    rows: [
      ["Hola, buenas tardes, le llamo de Movistar por su línea de fibra.", null],
      ["Sí, mire, llamo de Movistar, es sobre su factura.", null],
      ["Buenas, soy de Iberdrola, le llamo por el contrato de la luz.", null],
      ["Soy de Madrid, pero vivo en Valencia.", null],
      ["Soy vegetariano, así que nada de carne, por favor.", null],
      ["Sí, soy yo.", null],
      ["Soy mexicano, pero llevo años aquí.", null],
      ["Soy Española, por eso el acento.", null],
      ["Estoy cansado de esperar, la verdad.", null],
      ["Llamo por lo de mi pedido, que todavía no ha llegado.", null],
      ["Es sobre mi reserva del sábado.", null],
      ["Hola, soy la mamá de Pablo.", null],
      ["Ayer me llamó Javier, de su oficina.", null],
      ["ayer me llamo alguien de su empresa", null],
      ["Le habla Movistar, tenemos una oferta para usted.", null],
      ["Le habla el departamento de cobros.", null],
      ["Bueno, si me llamo igual que mi madre, puede salir a su nombre.", null],
      ["¿Hablo con Lucía?", null],
      ["Hola Lucía, mire, es por lo del pedido.", null],
      ["soy de telefonica", null],
      ["Le habla Orange, le llamamos por su tarifa.", null],
      ["Soy el marido de Laura, llamo por su cita.", null],
      ["Soy yo, la de ayer.", null],
      ["Le habla la secretaria del señor Gómez.", null],
      ["Hola, soy Lucía, de Lumen Line. ¿En qué le puedo ayudar?", null, "agent"],
      ["Me llamo Lucía y hoy le atiendo yo.", null, "agent"],

      ["Hola, buenas tardes, me llamo Lucía Fernández y quería reservar una mesa.", "Lucía Fernández"],
      ["me llamo jose maria", "Jose Maria"],
      ["Sí, hola, soy Carmen, llamaba por la reserva del viernes.", "Carmen"],
      ["Mi nombre es Alejandro Ruiz.", "Alejandro Ruiz"],
      ["mi nombre es maria de la cruz", "Maria de la Cruz"],
      ["Buenas, le habla Javier Ortega, de la oficina de Sevilla.", "Javier Ortega"],
      ["Sí, Marta Gil al habla.", "Marta Gil"],
      ["Hola, soy José María, el de la mesa para seis.", "José María"],
      ["Yo soy Rocío, la hermana de Pablo.", "Rocío"],
      ["No me llamo Carla, me llamo Karla, con K.", "Karla"],
      ["Bueno, pues me llamo Ignacio, pero todos me dicen Nacho.", "Ignacio"],
      ["Hola, ¿qué tal? Soy Inés Moreno.", "Inés Moreno"],
      ["Sí, dígame. Ah, soy Álvaro, le llamé la semana pasada.", "Álvaro"],
      ["mi nombre completo es ana belen garcia", "Ana"],
      ["Hola, buenas. Mi nombre es Sofía, llamo por una cita.", "Sofía"],
      ["Sí, soy Daniela Castro, de la reserva del sábado.", "Daniela Castro"],
      ["Oye, soy Pablo otra vez, se cortó la llamada.", "Pablo"],
      ["Me llamo Begoña Ibáñez.", "Begoña Ibáñez"],
      ["Sí, sí, soy Marcos. Es que no me llegó el correo de confirmación.", "Marcos"],
      ["Soy Mercedes, la de la mesa cuatro.", "Mercedes"],
      // missed on purpose: a weak cue in lower case
      ["hola soy carmen", "Carmen"],
    ],
  },
  fr: {
    recallFloor: 0.9,
    rows: [
      ["Bonjour madame, je vous appelle de la part d'Orange pour votre box.", null],
      ["Oui bonjour, c'est Orange, on vous appelle au sujet de votre forfait.", null],
      ["Non, c'est Paris, pas Lyon.", null],
      ["C'est pour une réservation ce soir.", null],
      ["Oui, c'est moi.", null],
      ["Je suis française, mais j'habite à Bruxelles.", null],
      ["Je suis désolé, je n'ai pas compris.", null],
      ["C'est au sujet de ma commande, elle n'est jamais arrivée.", null],
      ["C'est bien le restaurant Lumen ?", null],
      ["C'est Madame Dupont.", null],
      ["Bonjour, ici la pharmacie du centre.", null],
      ["Ici Free, nous vous contactons concernant votre abonnement.", null],
      ["C'est Noël, donc on sera nombreux.", null],
      ["Mon nom est mal écrit sur la facture.", null],
      ["Moi c'est pareil, je voudrais changer l'heure.", null],
      ["c'est pour une livraison", null],
      ["Bonjour Léa, c'est pour décaler ma réservation.", null],
      ["C'est SFR, on a une offre pour vous.", null],
      ["Je ne m'appelle pas Julie, c'est une erreur.", null],
      ["C'est Marie qui m'a donné votre numéro.", null],
      ["C'est ma femme qui a réservé.", null],
      ["Bonjour madame, c'est votre voisin du dessus.", null],
      ["C'est Monsieur Lambert à l'appareil.", null],
      ["Bonjour, je m'appelle Léa, je suis votre assistante.", null, "agent"],
      ["Bonjour, ici Léa de Lumen Line. Que puis-je faire pour vous ?", null, "agent"],

      ["Bonjour, je m'appelle Camille Martin, j'ai réservé pour jeudi.", "Camille Martin"],
      ["je mappelle julien", "Julien"],
      ["Oui bonjour, c'est Julie, je vous appelle pour ma réservation.", "Julie"],
      ["Mon nom est Zoë Lefèvre.", "Zoë Lefèvre"],
      ["Allô, ici Claire Dubois.", "Claire Dubois"],
      ["Bonjour, Claire Dubois à l'appareil.", "Claire Dubois"],
      ["Et moi c'est Sophie, la sœur de Marc.", "Sophie"],
      ["Bonsoir, moi c'est Jean-Luc.", "Jean-Luc"],
      ["Oui, c'est Jean-Baptiste Moreau.", "Jean-Baptiste Moreau"],
      ["Je m'appelle Hélène, avec un H.", "Hélène"],
      ["Bonjour, mon nom c'est Karim Benali, je vous appelle pour un rendez-vous.", "Karim Benali"],
      ["je m'appelle marie-claire", "Marie-Claire"],
      ["Bonjour, c'est Chloé, j'ai appelé hier.", "Chloé"],
      ["Euh, bonjour, c'est Thomas Girard qui vous appelle.", "Thomas Girard"],
      ["Allô, bonjour, je m'appelle Inès et j'ai une question sur ma commande.", "Inès"],
      ["mon nom est françois", "François"],
      ["Bonjour, ici Mathieu, du troisième étage.", "Mathieu"],
      ["C'est Noémie, de la réservation de samedi.", "Noémie"],
      ["C'est Antoine, le mari de Céline.", "Antoine"],
      // missed on purpose: "je suis" introduces far more than names, and a weak cue in lower case
      ["Je suis Camille, j'ai réservé pour ce soir.", "Camille"],
      ["bonjour c'est julie", "Julie"],
    ],
  },
  de: {
    recallFloor: 0.9,
    rows: [
      ["Guten Tag, hier ist die Telekom, es geht um Ihren Vertrag.", null],
      ["Ich bin Vegetarier, also bitte nichts mit Fleisch.", null],
      ["Ich bin aus Berlin.", null],
      ["Ich bin Deutscher, aber ich wohne in Wien.", null],
      ["Ich bin müde, wir machen das bitte kurz.", null],
      ["Ja, ich bin's.", null],
      ["Hier ist alles in Ordnung.", null],
      ["Ich bin der Meinung, dass die Rechnung falsch ist.", null],
      ["Ich bin Kundin bei Ihnen seit zehn Jahren.", null],
      ["Es geht um meine Bestellung vom Montag.", null],
      ["Hier spricht der Kundenservice von Vodafone.", null],
      ["Ich bin die Mutter von Lena.", null],
      ["Mein Name ist falsch geschrieben auf der Rechnung.", null],
      ["Wenn ich heiße wie mein Vater, gibt es dann Probleme?", null],
      ["Hier ist Frau Schmidt.", null],
      ["Ich bin Rentnerin, ich habe tagsüber Zeit.", null],
      ["Hier ist Stau, ich komme später.", null],
      ["ich bin aus hamburg", null],
      ["Hallo Mia, ich rufe wegen meiner Reservierung an.", null],
      ["Ich bin Neukunde und habe eine Frage zur Lieferung.", null],
      ["Ich bin Architekt.", null],
      ["Ich bin Koch in einem Restaurant.", null],
      ["Ich bin Privatpatient.", null],
      ["Ich bin Gastgeber der Feier.", null],
      ["Hier ist Besuch für Sie.", null],
      ["Hier ist der Hausmeister.", null],
      ["Hier ist Mama, ruf mal zurück.", null],
      ["Guten Tag, hier ist Mia von Lumen Line, wie kann ich helfen?", null, "agent"],
      ["Ich heiße Mia und bin Ihre digitale Assistentin.", null, "agent"],

      ["Guten Tag, mein Name ist Anna Schmidt, ich rufe wegen meiner Reservierung an.", "Anna Schmidt"],
      ["ich heisse jürgen", "Jürgen"],
      ["Hallo, hier ist die Anna, ich wollte den Tisch für Samstag bestätigen.", "Anna"],
      ["Ja, hallo, hier spricht Thomas Becker.", "Thomas Becker"],
      ["Jana Becker am Apparat.", "Jana Becker"],
      ["Ich heiße Małgorzata, aber alle sagen Gosia.", "Małgorzata"],
      ["Hallo, ich bin der Lukas, ich hatte gestern schon angerufen.", "Lukas"],
      ["Hallo, ich bin Sabine Krüger.", "Sabine Krüger"],
      ["Servus, hier ist Sepp.", "Sepp"],
      ["Mein Name ist Jörg Hoffmann.", "Jörg Hoffmann"],
      ["ich heiße lena weber", "Lena Weber"],
      ["Moin, hier ist Kai, wegen der Lieferung.", "Kai"],
      ["Guten Morgen, ich heiße Fatma Yilmaz und habe eine Frage.", "Fatma Yilmaz"],
      ["Ja, hier ist Ursula von Berg.", "Ursula von Berg"],
      ["Mein Name lautet Claudia Neumann.", "Claudia Neumann"],
      ["Grüß Gott, hier spricht Maximilian Huber.", "Maximilian Huber"],
      ["Hallo, hier ist Petra, ich hatte für morgen reserviert.", "Petra"],
      ["Ich bin Petra Lange und ich hätte gern einen Termin.", "Petra Lange"],
      // missed on purpose: German capitalises every noun, so "ich bin" with one word ("Ich bin Architekt")
      // needs an article ("ich bin der Lukas") or a surname
      ["Äh, hallo, ich bin Stefan, der Nachbar von Frau Koch.", "Stefan"],
      ["Hallo, ich bin Valentin, ich hatte reserviert.", "Valentin"],
    ],
  },
  it: {
    recallFloor: 0.9,
    rows: [
      ["Buongiorno, sono di Vodafone, la chiamo per un'offerta.", null],
      ["Sono italiano, ma vivo a Londra da dieci anni.", null],
      ["Sì, sono io.", null],
      ["Sono stanca, facciamo veloce per favore.", null],
      ["Sono le tre e non è ancora arrivato niente.", null],
      ["Chiamo per il mio ordine, non è ancora arrivato.", null],
      ["Sono di Milano.", null],
      ["Parla italiano?", null],
      ["Pronto, parla Fastweb, la contattiamo per il suo contratto.", null],
      ["Sono la mamma di Giorgio.", null],
      ["Il mio nome è scritto sbagliato sulla fattura.", null],
      ["Sono Italiana, quindi nessun problema con la lingua.", null],
      ["Se mi chiamo Rossi come mio marito, va bene lo stesso?", null],
      ["Non mi chiamo Marco, è un errore.", null],
      ["Sono Vegetariano, niente carne per me.", null],
      ["Sono della Tim, per il contratto.", null],
      ["Sono il titolare del ristorante.", null],
      ["sono di roma", null],
      ["Sono qui per la prenotazione.", null],
      ["Sono sempre io, è caduta la linea.", null],
      ["Sono quello che ha chiamato prima.", null],
      ["Buongiorno, sono la signora Colombo.", null],
      ["Buongiorno, sono Giulia di Lumen Line, come posso aiutarla?", null, "agent"],
      ["Mi chiamo Giulia, sono l'assistente virtuale.", null, "agent"],

      ["Buongiorno, mi chiamo Giulia Bianchi e vorrei prenotare un tavolo.", "Giulia Bianchi"],
      ["mi chiamo marco", "Marco"],
      ["Pronto, sono Francesca, la chiamo per la prenotazione di sabato.", "Francesca"],
      ["Salve, il mio nome è Alessandro Ferri.", "Alessandro Ferri"],
      ["Pronto, parla Giuseppe Russo.", "Giuseppe Russo"],
      ["Sì, buongiorno, sono Luca Romano.", "Luca Romano"],
      ["Ciao, sono la Chiara, ho chiamato ieri.", "Chiara"],
      ["il mio nome e davide", "Davide"],
      ["Buonasera, mi chiamo Niccolò.", "Niccolò"],
      ["Sono Matteo, il marito di Elena.", "Matteo"],
      ["Allora, mi chiamo Federica De Luca.", "Federica De Luca"],
      ["Pronto? Sì, sono Antonio.", "Antonio"],
      ["Buongiorno, sono Elisa Conti, avevo prenotato per due.", "Elisa Conti"],
      ["Qui parla Roberta.", "Roberta"],
      ["Eh, salve, mi chiamo Lorenzo e chiamo per l'ordine.", "Lorenzo"],
      ["Sono Paolo Esposito, il titolare.", "Paolo Esposito"],
      ["Mi chiamo Ilaria D'Amico.", "Ilaria D'Amico"],
      ["Sì, sono Gianni, ho prenotato per stasera.", "Gianni"],
      // missed on purpose: a name after "io", and one shaped like a participle ("Sono Arrivato")
      ["Sono io, Marco.", "Marco"],
      ["Sono Fortunato, del terzo piano.", "Fortunato"],
    ],
  },
  pt: {
    recallFloor: 0.9,
    rows: [
      ["Olá, aqui é da Vivo, estamos ligando sobre a sua fatura.", null],
      ["Sou brasileiro, mas moro em Lisboa.", null],
      ["Sim, sou eu.", null],
      ["Sou de São Paulo.", null],
      ["Estou cansada, vamos ser rápidos.", null],
      ["É sobre o meu pedido que ainda não chegou.", null],
      ["Sou cliente de vocês há muitos anos.", null],
      ["Fala, Pedro, tudo bem?", null],
      ["Aqui é o pessoal da entrega.", null],
      ["Sou vegetariana, então nada de carne.", null],
      ["Não me chamo Rita, é um engano.", null],
      ["Aqui é a Claro, temos uma oferta para você.", null],
      ["Sou Portuguesa, do Porto.", null],
      ["O meu nome está errado na fatura.", null],
      ["Se meu nome é o mesmo do meu pai, tem problema?", null],
      ["Sou a mãe do Tiago.", null],
      ["sou do rio", null],
      ["Fala com o gerente, por favor.", null],
      ["Meu nome e telefone estão no cadastro.", null],
      ["Sou eu de novo, a ligação caiu.", null],
      ["Aqui é do Bradesco.", null],
      ["Olá, aqui é a Beatriz, da Lumen Line. Em que posso ajudar?", null, "agent"],
      ["Meu nome é Beatriz e vou te ajudar hoje.", null, "agent"],

      ["Olá, bom dia, meu nome é Ana Souza e queria marcar uma consulta.", "Ana Souza"],
      ["me chamo joao pedro", "Joao Pedro"],
      ["Oi, aqui é a Fernanda. Tudo bem?", "Fernanda"],
      ["Bom dia, o meu nome é João Pedro Almeida.", "João Pedro"],
      ["Chamo-me Inês Carvalho.", "Inês Carvalho"],
      ["Alô, quem fala é o Rodrigo.", "Rodrigo"],
      ["Sou o Tiago, marido da Carla.", "Tiago"],
      ["Boa tarde, sou a Mariana Lima, da reserva das oito.", "Mariana Lima"],
      ["meu nome e maria das dores", "Maria das Dores"],
      ["Olá, aqui é o Gonçalo.", "Gonçalo"],
      ["Me chamo Luíza, com Z.", "Luíza"],
      ["Bom dia, meu nome é Raimundo Nonato dos Santos.", "Raimundo Nonato"],
      ["Alô? Oi, é o Paulo. Meu nome é Paulo Mendes.", "Paulo Mendes"],
      ["Aqui fala a Joana, do segundo andar.", "Joana"],
      ["Oi, sou Thiago Oliveira.", "Thiago Oliveira"],
      ["Olá, o meu nome é Leonor.", "Leonor"],
      ["Sou a Patrícia, liguei ontem por causa do pedido.", "Patrícia"],
      ["Oi, aqui é o Marcelo, eu fiz um pedido ontem.", "Marcelo"],
      ["Bom dia, sou a Aparecida, da reserva.", "Aparecida"],
      // missed on purpose: "é" alone, and a title before a first name ("doutora Simone", as "Mrs Okafor")
      ["É a Ana.", "Ana"],
      ["Aqui é a doutora Simone.", "Simone"],
    ],
  },
  nl: {
    recallFloor: 0.9,
    rows: [
      ["Goedemiddag, u spreekt met de klantenservice van Ziggo.", null],
      ["Met KPN, goedemiddag.", null],
      ["Ik ben het.", null],
      ["Ik ben Nederlander, maar ik woon in Antwerpen.", null],
      ["Ik ben moe, laten we het kort houden.", null],
      ["Met mijn bestelling is iets misgegaan.", null],
      ["Ik bel over mijn bestelling van vorige week.", null],
      ["Ik ben vegetariër.", null],
      ["Ik ben Klant bij jullie sinds 2015.", null],
      ["Met wie spreek ik?", null],
      ["Mijn naam is verkeerd gespeld op de factuur.", null],
      ["Ik ben uit Rotterdam.", null],
      ["Met Pasen zijn we weg.", null],
      ["Ik ben de moeder van Daan.", null],
      ["Hoi Eva, ik bel voor een reservering.", null],
      ["ik ben van de gemeente", null],
      ["U spreekt met Albert Heijn, goedemiddag.", null],
      ["Als ik heet zoals mijn vader, is dat een probleem?", null],
      ["Ik ben Belg, dus geen zorgen over de taal.", null],
      ["Met de buurvrouw van hiernaast.", null],
      ["Ik ben het weer, de verbinding viel weg.", null],
      ["Goedemiddag, u spreekt met Eva van Lumen Line.", null, "agent"],
      ["Ik heet Eva, waarmee kan ik u helpen?", null, "agent"],

      ["Goedemiddag, met Jan de Vries.", "Jan de Vries"],
      ["ik heet sanne", "Sanne"],
      ["Hallo, u spreekt met Pieter Bakker.", "Pieter Bakker"],
      ["Goedemorgen, mijn naam is Fleur van der Berg.", "Fleur van der Berg"],
      ["Hoi, ik ben Daan, ik had gisteren gebeld.", "Daan"],
      ["Ja, met Lotte.", "Lotte"],
      ["Je spreekt met Bram.", "Bram"],
      ["Dag, ik heet Noor Jansen.", "Noor Jansen"],
      ["mijn naam is jan de vries", "Jan de Vries"],
      ["Met Joost, goedemiddag.", "Joost"],
      ["Goedenavond, ik ben Femke Visser.", "Femke Visser"],
      ["Eh, hallo, met Anouk van Dijk.", "Anouk van Dijk"],
      ["Ik heet Zoë en ik bel over mijn bestelling.", "Zoë"],
      ["Goedemiddag, u spreekt met Willem-Alexander Smit.", "Willem-Alexander Smit"],
      ["Hallo, mijn naam is Thijs.", "Thijs"],
      ["Ja hoi, ik ben Iris, van de reservering voor vrijdag.", "Iris"],
      ["Met Ruud ter Horst.", "Ruud ter Horst"],
      ["Ja, met Kees van Dam.", "Kees van Dam"],
      ["Ik ben Mark, de man van Linda.", "Mark"],
      // missed on purpose: "dit is" is not one of the cues, and a weak cue in lower case
      ["Hoi, dit is Sanne.", "Sanne"],
      ["met lotte", "Lotte"],
    ],
  },
  pl: {
    recallFloor: 0.9,
    rows: [
      ["Dzień dobry, dzwonię z Orange w sprawie pana umowy.", null],
      ["Tu Orange, mamy dla pani nową ofertę.", null],
      ["Jestem z Krakowa.", null],
      ["Jestem wegetarianinem, więc bez mięsa.", null],
      ["Jestem Polakiem, ale mieszkam w Niemczech.", null],
      ["To ja.", null],
      ["Jestem zmęczona, załatwmy to szybko.", null],
      ["Dzwonię w sprawie zamówienia, które nie dotarło.", null],
      ["Tu jest jakiś problem z rezerwacją.", null],
      ["Z tej strony obsługa klienta Play.", null],
      ["Nie nazywam się Kowalski, to pomyłka.", null],
      ["Jestem Ślązakiem.", null],
      ["Jestem klientem od lat.", null],
      ["Tu, w Krakowie, pada od rana.", null],
      ["Jeśli nazywam się tak samo jak mąż, czy to problem?", null],
      ["Jestem mamą Zosi.", null],
      ["tu chodzi o zamówienie", null],
      ["Jestem Polką.", null],
      ["Tu PKO BP, dział windykacji.", null],
      ["Jestem tu pierwszy raz.", null],
      ["Tu Straż Miejska, w sprawie zgłoszenia.", null],
      ["Dzień dobry, z tej strony Ola z Lumen Line.", null, "agent"],
      ["Nazywam się Ola, jestem wirtualną asystentką.", null, "agent"],

      ["Dzień dobry, nazywam się Anna Kowalska, dzwonię w sprawie wizyty.", "Anna Kowalska"],
      ["mam na imie kasia", "Kasia"],
      ["Dzień dobry, tu Marek Nowak.", "Marek Nowak"],
      ["Dobry wieczór, z tej strony Małgorzata Wiśniewska.", "Małgorzata Wiśniewska"],
      ["Halo, Zosia z tej strony.", "Zosia"],
      ["Cześć, jestem Bartek.", "Bartek"],
      ["Mam na imię Łukasz.", "Łukasz"],
      ["nazywam sie tomasz wojcik", "Tomasz Wojcik"],
      ["Dzień dobry, jestem Agnieszka, rezerwowałam stolik na sobotę.", "Agnieszka"],
      ["Tu Kasia, dzwoniłam wczoraj.", "Kasia"],
      ["Tak, nazywam się Krzysztof Zieliński.", "Krzysztof Zieliński"],
      ["Witam, z tej strony Piotr.", "Piotr"],
      ["Dzień dobry, Ewa Lewandowska z tej strony.", "Ewa Lewandowska"],
      ["Nazywam się Grzegorz, ale proszę mówić Grzesiek.", "Grzegorz"],
      ["Halo, tu Jadwiga Kamińska, w sprawie zamówienia.", "Jadwiga Kamińska"],
      ["Dzień dobry, mam na imię Oliwia i chciałabym zarezerwować stolik.", "Oliwia"],
      ["Dobry wieczór, jestem Wojtek, mąż Ani.", "Wojtek"],
      ["Dzień dobry, z tej strony Beata.", "Beata"],
      ["Tu mówi Anna Nowak.", "Anna Nowak"],
      // missed on purpose: a title before a first name ("pan Marek"), and a weak cue in lower case
      ["Z tej strony pan Marek.", "Marek"],
      ["tu kasia", "Kasia"],
    ],
  },
};

describe.each(Object.entries(SPOKEN))("extractCallerName in the caller's language: %s", (language, { rows, recallFloor }) => {
  const extracted = rows.map(([text, name, role = "user"]) => ({
    text,
    name,
    found: extractCallerName({ turns: [{ role, text, timeInCallSecs: 1 }], language }),
  }));

  it.each(extracted.filter(({ name }) => name === null))("no name from $text", ({ found }) => {
    expect(found).toBeNull();
  });

  it.each(extracted.filter(({ name }) => name !== null))("$text → $name, or nothing, never another name", ({ name, found }) => {
    expect([name, null]).toContain(found);
  });

  it("names nobody wrongly when the call's language is not known", () => {
    const wrong = rows
      .map(([text, name, role = "user"]) => ({ text, name, found: extractCallerName({ turns: [{ role, text, timeInCallSecs: 1 }] }) }))
      .filter(({ name, found }) => found !== null && found !== name);
    expect(wrong).toEqual([]);
  });

  it(`has precision 1.00 and recall of at least ${recallFloor}`, () => {
    const score = scoreNameTable(extracted);
    console.info(describeNameTable(` (${language})`, score));
    expect(score.negatives).toBeGreaterThanOrEqual(15);
    expect(score.positives).toBeGreaterThanOrEqual(15);
    expect(score.precision).toBe(1);
    expect(score.recall).toBeGreaterThanOrEqual(recallFloor);
  });
});

describe("extractCallerName and the caller's language", () => {
  it("understands a strong cue of another language without being told the language", () => {
    expect(extractCallerName({ turns: [user("Hola, buenas tardes, me llamo Lucía Fernández.")] })).toBe("Lucía Fernández");
    expect(extractCallerName({ turns: [user("Bonjour, je m'appelle Camille.")] })).toBe("Camille");
  });

  it.each([
    ["es", "Hola, soy Carmen.", "Carmen"],
    ["fr", "Oui bonjour, c'est Julie.", "Julie"],
    ["de", "Hallo, hier ist die Anna.", "Anna"],
  ])("uses a weak cue of %s only in a call in that language: %j", (language, text, name) => {
    expect(extractCallerName({ turns: [user(text)] })).toBeNull();
    expect(extractCallerName({ turns: [user(text)], language: "it" })).toBeNull();
    expect(extractCallerName({ turns: [user(text)], language })).toBe(name);
  });

  it.each([
    ["a regional tag", "es-MX", "Hola, soy Carmen.", "Carmen"],
    ["English next to the caller's language", "es", "Hi, I'm Dana, I booked for Friday.", "Dana"],
    ["a language without cues of its own", "ja", "Hi, this is Dana.", "Dana"],
    ["a language without cues of its own, and a weak Spanish cue", "ja", "Hola, soy Carmen.", null],
  ])("%s (%s): %j → %j", (_case, language, text, name) => {
    expect(extractCallerName({ turns: [user(text)], language })).toBe(name);
  });

  it("keeps a Polish name as said, without undoing its declension", () => {
    expect(extractCallerName({ turns: [user("Dzień dobry, jestem Magdą Nowak, dzwonię w sprawie wizyty.")], language: "pl" })).toBe("Magdą Nowak");
  });

  it.each([
    ["the agent's own name is not the caller's", "es", [agent("Hola, soy Lucía, de Lumen Line."), user("Sí, soy Lucía, quería cambiar la reserva.")], null],
    ["the caller greeting the agent, then introducing herself", "es", [agent("Hola, soy Lucía, de Lumen Line."), user("Hola Lucía, soy Carmen.")], "Carmen"],
    ["one person named twice, the fuller form wins", "fr", [user("C'est Julie."), user("Mon nom est Julie Morel.")], "Julie Morel"],
    ["two different people named", "de", [user("Hier ist Anna."), user("Ich heiße Lena.")], null],
  ])("%s (%s)", (_case, language, turns, expected) => {
    expect(extractCallerName({ turns, language })).toBe(expected);
  });
});
