/**
 * The words of caller-name extraction in the caller's own language: Spanish, French, German, Italian,
 * Portuguese, Dutch and Polish, next to the English lists of `caller-name-words.ts`. Each list holds
 * only what callers of that language say after a self-introduction cue and the English lists miss.
 * Words are lower case and written as said; accentless forms are listed where speech-to-text drops accents.
 */
import { NOT_A_PERSON, ORG_WORDS, STOP_WORDS } from "./caller-name-words";
import { isTitle } from "./first-name";

/** The languages whose self-introductions are understood besides English (ISO 639-1). */
export const CUE_LANGUAGES = ["es", "fr", "de", "it", "pt", "nl", "pl"] as const;
export type CueLanguage = (typeof CUE_LANGUAGES)[number];

interface LanguageWords {
  /** Never a name after any cue, "me llamo" included: pronouns, function words, states ("mi nombre es complicado"). */
  readonly stop: ReadonlySet<string>;
  /** Never a name after a weak cue ("soy mexicano", "ich bin Vegetarier", "c'est Paris"): roles, nationalities, places, companies. */
  readonly notAPerson: ReadonlySet<string>;
  /** A business or department speaking, as the first word or the second ("Seguros Mapfre", "Anna Versicherung"). */
  readonly org: ReadonlySet<string>;
  /** Titles before a name: "señora Carmen López" is greeted as Carmen, "Herr Schmidt" alone names no first name. */
  readonly titles: ReadonlySet<string>;
  /**
   * Endings of common words that speech-to-text, or German spelling, capitalises: after a weak cue such a
   * word is no name ("ich bin der Meinung", "Ich bin Privatpatient", "Soy Divorciado", "C'est Formidable").
   */
  readonly commonWordEnding?: RegExp;
}

const words = (list: string): ReadonlySet<string> => new Set(list.trim().split(/\s+/u));

/** Built on first use, as the cues are (caller-name-cues.ts): only a process that reads a name needs them. */
let builtLanguageWords: Readonly<Record<CueLanguage, LanguageWords>> | undefined;
const languageWords = (): Readonly<Record<CueLanguage, LanguageWords>> => (builtLanguageWords ??= {
  es: {
    stop: words(`yo tú tu usted ustedes él el la los las lo le les un una unos unas de del al a en con por para sin sobre
      y o pero que qué como cómo cuando donde dónde quien quién muy más mas ya también tambien solo sólo aquí aqui allí
      ahí este esta ese esa esto eso mi mis su sus nuestro se me te nos no sí si bueno pues vale gracias perdón perdon
      hola nadie alguien todo todos nada algo mismo misma otro otra es soy son está estoy era fue he ha hay tengo tiene
      quiero quería queria llamo llamaba llamando hablo hablando así asi cansado cansada nuevo nueva casado casada soltero
      soltera divorciado divorciada viudo viuda jubilado jubilada embarazada difícil dificil largo larga complicado
      complicada correcto incorrecto importante raro rara feliz contento contenta mal bien igual`),
    notAPerson: words(`gerente encargado encargada director directora jefe jefa recepcionista técnico tecnico enfermero
      enfermera médico medico abogado abogada propietario propietaria dueño dueña inquilino inquilina vecino vecina
      repartidor conductor mamá papá madre padre hijo hija esposo esposa marido mujer hermano hermana amigo amiga abuelo
      abuela cliente clienta socio socia paciente estudiante vegetariano vegetariana vegano vegana celíaco celíaca
      diabético diabética alérgico alérgica mexicano mexicana español española argentino colombiano colombiana peruano
      peruana chileno chilena venezolano venezolana cubano cubana ecuatoriano ecuatoriana boliviano boliviana uruguayo
      uruguaya paraguayo paraguaya dominicano dominicana puertorriqueño puertorriqueña guatemalteco guatemalteca hondureño
      hondureña salvadoreño salvadoreña nicaragüense costarricense panameño panameña estadounidense americano americana
      inglés inglesa francés francesa alemán alemana italiano italiana portugués portuguesa brasileño brasileña chino
      china japonés japonesa marroquí rumano rumana ucraniano ucraniana ruso rusa polaco polaca catalán catalana vasco
      vasca gallego gallega andaluz andaluza madrileño madrileña latino latina europeo europea extranjero extranjera
      barcelona valencia sevilla zaragoza málaga malaga bilbao murcia alicante granada toledo salamanca méxico guadalajara
      monterrey bogotá bogota medellín medellin lima caracas quito montevideo españa colombia perú peru chile venezuela
      cuba ecuador movistar telefónica telefonica orange jazztel yoigo másmóvil masmovil iberdrola endesa naturgy repsol
      mapfre correos seur bbva caixabank bankinter sabadell unicaja telcel telmex claro mercadona securitas prosegur digi
      pepephone lowi simyo euskaltel adeslas sanitas asisa verti navidad nochebuena testigo autónomo autónoma funcionario
      funcionaria empleado empleada trabajador trabajadora profesor profesora maestro maestra camarero camarera cocinero
      cocinera arquitecto arquitecta particular tauro aries géminis cáncer virgo libra escorpio sagitario capricornio
      acuario piscis fan usuario usuaria titular miembro residente huésped asturiano asturiana canario canaria valenciano
      valenciana aragonés aragonesa murciano murciana extremeño extremeña castellano castellana sevillano sevillana
      malagueño malagueña barcelonés barcelonesa vallisoletano`),
    org: words(`banco seguros servicio atención soporte compañía empresa farmacia clínica clinica centro tienda
      restaurante taller oficina departamento ayuntamiento agencia gestoría gestoria inmobiliaria academia colegio
      mensajería paquetería recepción administración facturación ventas cobros grupo energía telecomunicaciones direct
      directa`),
    titles: words("señor señora señorita sr sra srta don doña doctora dra licenciado licenciada lic ingeniero ingeniera"),
    commonWordEnding: /^\p{L}{3,}(?:ado|ada|ido|oso|osa|ble|ivo)$/iu, // "Soy Divorciado", "Soy Responsable"
  },
  fr: {
    stop: words(`je j tu il elle on nous vous ils elles moi toi lui eux me m te se le la les l un une des du de d au aux à
      a en et ou mais donc car ni que qui quoi ce ça ca cela c ceci cet cette ces mon ma mes ton ta tes son sa ses notre
      votre leur pour par sur sous avec sans chez dans vers pas ne non oui si très tres trop bien mal aussi encore déjà
      deja juste vraiment peut-être ici là voilà voila bonjour bonsoir merci pardon désolé désolée desole desolee est suis
      es sont était etait ai as avait vais va appelle tout tous toute rien personne quelqu'un même meme pareil pareille
      comme quand où enchanté enchantée moi-même elle-même lui-même compliqué complique compliquée difficile long
      important écrit ecrit fatigué fatiguée fatigue nouveau nouvelle marié mariée célibataire enceinte retraité retraitée
      content contente inscrit inscrite noté génial geniale géniale super parfait nul top fini fermé ouvert gratuit occupé
      occupée normal dommage grave vrai faux sûr clair simple urgent urgente c'est cest bientôt bientot demain aujourd'hui
      hier maintenant toujours jamais souvent presque`),
    notAPerson: words(`directeur directrice responsable gérant gérante gerant secrétaire secretaire infirmier infirmière
      médecin medecin technicien technicienne livreur chauffeur propriétaire proprietaire locataire voisin voisine client
      cliente patient patiente maman papa mère mere père pere fils fille mari femme épouse frère soeur sœur ami amie
      collègue végétarien végétarienne vegetarien vegetarienne végane français française francais francaise belge suisse
      canadien canadienne québécois québécoise marocain marocaine algérien algérienne tunisien tunisienne sénégalais
      sénégalaise ivoirien ivoirienne camerounais camerounaise congolais congolaise malien malienne haïtien haïtienne
      espagnol espagnole italien italienne allemand allemande portugais portugaise anglais anglaise américain américaine
      chinois chinoise polonais polonaise roumain roumaine turc turque russe ukrainien ukrainienne breton bretonne
      parisien parisienne africain africaine européen européenne antillais antillaise lyon marseille toulouse nantes
      strasbourg montpellier bordeaux lille rennes reims grenoble dijon genève geneve lausanne bruxelles montréal québec
      quebec dakar abidjan casablanca alger tunis belgique orange sfr bouygues free edf engie poste chronopost colissimo
      ameli cpam caf pôle pole bnp lcl axa maif macif darty fnac carrefour leclerc auchan intermarché monoprix franprix
      cdiscount météo sncf ratp lundi mardi mercredi jeudi vendredi samedi dimanche janvier février fevrier mars avril mai
      juin juillet août aout septembre octobre novembre décembre decembre noël noel pâques paques week-end`),
    org: words(`banque assurance assurances clientèle clientele société societe entreprise pharmacie clinique hôpital
      hopital cabinet magasin boutique hôtel agence mairie bureau accueil réception facturation comptabilité livraison
      mutuelle groupe immobilier immobilière électricité énergie télécom`),
    titles: words("monsieur madame mademoiselle mme mlle docteur maître maitre"),
    commonWordEnding: /^\p{L}{3,}(?:able|ible|eux|euse)$/iu, // "C'est Formidable", "C'est Incroyable"
  },
  de: {
    stop: words(`ich du er sie es wir ihr mich mir dich dir uns euch sich der die das den dem des ein eine einen einem
      einer und oder aber nicht kein keine auch noch schon nur so ja nein doch mal hier da dort aus von vom bei beim mit
      für fur zu zum zur im in an am auf um wegen über ueber unter nach vor wie was wer wo wann warum bin bist ist sind
      war habe hat haben wollte möchte moechte würde kann könnte gerade eigentlich bitte danke bin's bins man mein meine
      meinen meiner ihre ihren sein seine gleich wieder jetzt heute gestern etwas nichts alles jemand niemand selbst
      selber müde mude krank traurig froh sauer genervt falsch richtig neu neue neuer neuen alt spät spaet früh frueh
      fertig sicher verheiratet ledig geschieden schwanger allergisch beschäftigt unterwegs zuhause leider kompliziert
      schwierig lang wichtig egal schuld bekannt ihres ihrem ihrer letzte letzter erste erster nächste nächster andere
      anderer einzige richtige falsche halb`),
    notAPerson: words(`vegetarier vegetarierin veganer veganerin deutscher deutsche kunde kundin stammkunde stammkundin
      neukunde neukundin mitglied patient patientin rentner rentnerin student studentin schüler schülerin lehrer lehrerin
      arzt ärztin mieter mieterin vermieter vermieterin nachbar nachbarin mutter vater sohn tochter mann ehemann ehefrau
      chef chefin inhaber inhaberin besitzer besitzerin fahrer fahrerin techniker handwerker diabetiker diabetikerin
      allergiker allergikerin ausländer ausländerin gast hausmeister mitarbeiter mitarbeiterin kollege kollegin anrufer
      anruferin beamter beamtin polizist polizistin krankenschwester pfleger pflegerin azubi witwe witwer mama papa oma
      opa bruder schwester freund freundin partner partnerin meinung ansicht sache termin reservierung bestellung rechnung
      stau chaos ruhe schluss feierabend nummer zimmer tisch frage notfall hausmann ingenieur informatiker erzieher
      verkäufer friseur friseurin anwalt anwältin soldat soldatin christ christin katholik katholikin jude jüdin raucher
      raucherin nichtraucher eigentümer eigentümerin fan beamte selbstständig selbständig selbstständiger selbständiger
      architekt architektin koch köchin bauer bäuerin bäcker metzger maler elektriker installateur schreiner tischler
      mechaniker kapitän typ person tante onkel enkel neffe nichte cousin cousine schwager schwägerin ende anfang mitte
      pause besuch betrieb baustelle notruf notdienst stress platz regen schnee sturm glatteis österreicher österreicherin
      schweizer schweizerin türke türkin italiener italienerin spanier spanierin franzose französin pole polin russe
      russin grieche griechin amerikaner amerikanerin engländer engländerin brite britin niederländer niederländerin
      holländer holländerin kroate kroatin serbe serbin rumäne rumänin ukrainer ukrainerin berliner berlinerin münchner
      kölner hamburger bayer bayerin sachse sächsin schwabe europäer europäerin hamburg münchen muenchen köln koeln
      frankfurt stuttgart düsseldorf dortmund leipzig bremen dresden hannover nürnberg wien zürich zuerich bern basel graz
      salzburg bayern sachsen österreich oesterreich schweiz deutschland europa telekom congstar dhl dpd gls sparkasse
      volksbank commerzbank postbank allianz ergo huk aok barmer vattenfall eon stadtwerke zalando lidl aldi rewe edeka
      bahn post montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz mai juni juli dezember
      weihnachten ostern pfingsten silvester wochenende`),
    org: words(`versicherung kundenservice kundendienst kundenbetreuung firma gmbh ag kg apotheke klinik praxis
      krankenhaus zentrale abteilung büro buero buchhaltung verwaltung hausverwaltung rezeption empfang energie werkstatt
      autohaus reisebüro versand lieferdienst paketdienst krankenkasse kasse finanzamt amt gemeinde stadtverwaltung
      polizei feuerwehr`),
    titles: words("herr frau fräulein"),
    // nouns, and compounds of roles: "Hausfrau", "Privatpatient", "Stammgast", "Filialleiter", "Brillenträger"
    commonWordEnding: new RegExp(
      String.raw`^\p{L}{3,}(?:ung|heit|keit|schaft|tion|ismus|ität|erin|kunde|kundin|patient|patientin|gast|mitglied|fahrer|arbeiter|frau|` +
        String.raw`berater|rentner|schüler|lehrer|meister|leiter|pfleger|arzt|vater|mutter|sohn|tochter|partner|mieter|träger|besitzer)$`,
      "iu",
    ),
  },
  it: {
    stop: words(`io tu lui lei noi voi loro mi ti si ci vi il lo la i gli le un uno una di del della dello dei degli delle
      da dal dalla a al alla in nel nella con per su sul tra fra e ed o ma che chi come dove quando perché perche non sì
      no molto poco anche ancora già gia solo proprio qui qua lì là ecco questo questa quello quella mio miei suo sua sono
      sei è siamo era ho ha hanno chiamo chiamavo stato stata tutto tutti niente nessuno qualcuno stesso stessa grazie
      scusi prego pronto buongiorno ciao salve allora scritto scritta sulla sulle sui nelle negli alle agli dai dalle
      cognome nome numero indirizzo telefono stanco stanca nuovo nuova sposato sposata incinta pensionato pensionata lungo
      difficile complicato sbagliato importante giusto contento contenta arrabbiato arrabbiata preoccupato preoccupata
      spiacente dispiaciuto dispiaciuta tranquillo occupato occupata libero libera pronta fuori laureato laureata sicuro
      sicura nato nata`),
    notAPerson: words(`direttore direttrice responsabile titolare segretaria segretario infermiere infermiera medico
      tecnico autista proprietario proprietaria inquilino inquilina vicino vicina paziente cliente studente studentessa
      vegetariano vegetariana vegano vegana celiaco celiaca diabetico diabetica allergico allergica mamma papà madre padre
      figlio figlia marito moglie fratello sorella amico amica nonna nonno italiano italiana italiani spagnolo spagnola
      francese tedesco tedesca inglese americano americana svizzero svizzera rumeno rumena albanese marocchino marocchina
      cinese polacco polacca brasiliano brasiliana argentino romano romana milanese napoletano napoletana siciliano
      siciliana sardo sarda veneto veneta toscano toscana pugliese calabrese romagnolo romagnola straniero straniera
      europeo europea roma milano napoli torino palermo genova bologna firenze bari catania venezia verona padova trieste
      brescia sicilia sardegna lombardia vodafone wind tre iliad fastweb enel eni poste bartolini brt intesa unicredit
      inps esselunga coop conad trenitalia impiegato impiegata insegnante professore professoressa architetto cuoco cuoca
      cameriere cameriera commesso commessa operaio operaia casalinga disoccupato disoccupata vedovo vedova malato malata
      ospite socio socia membro residente`),
    org: words(`banca assicurazioni assicurazione servizio servizi assistenza clienti supporto società societa azienda
      farmacia clinica ospedale centro negozio ristorante albergo officina agenzia comune ufficio amministrazione
      contabilità spedizioni corriere gruppo energia telefonia`),
    titles: words("signor signore signora signorina sig dott dottor dottore dottoressa avvocato avv ingegnere ing"),
    // "Sono Disponibile", "Sono Giornalista", "Sono Arrivato" ("Renato", "Renata" are too short to match)
    commonWordEnding: /^\p{L}{3,}(?:bile|ista|iere|iera)$|^\p{L}{4,}(?:ato|ata|uto|uta)$/iu,
  },
  pt: {
    stop: words(`eu tu você voce ele ela nós nos vocês voces eles elas me te se lhe o a os as um uma de do da dos das em
      no na nas com por pelo pela para pra sem sobre e ou mas que quem como onde quando porque não nao sim muito mais já
      ja também tambem só so aqui ali lá este esta isto esse essa isso meu minha seu sua é sou são sao está estou era foi
      tenho tem queria quero chamo ligando falando tudo todos nada ninguém ninguem alguém alguem mesmo mesma obrigado
      obrigada desculpa olá ola oi bom boa sobrenome telefone endereço endereco número numero cansado cansada novo nova
      casado casada solteiro solteira aposentado aposentada grávida gravida comprido complicado difícil dificil errado
      certo importante`),
    notAPerson: words(`gerente responsável responsavel dono professora advogado advogada engenheiro engenheira funcionário
      funcionária morador moradora síndico síndica porteiro porteira diretor diretora secretária secretaria enfermeiro
      enfermeira médico médica técnico técnica motorista entregador proprietário inquilino vizinho vizinha paciente
      cliente estudante vegetariano vegetariana vegano vegana diabético diabética alérgico alérgica mãe mae pai filho
      filha marido esposa mulher irmão irmã amigo amiga avó avô brasileiro brasileira português portuguesa portugues
      angolano angolana moçambicano moçambicana cabo-verdiano espanhol espanhola italiano italiana francês francesa alemão
      alemã inglês inglesa americano americana argentino chinês japonês paulista paulistano paulistana carioca mineiro
      mineira gaúcho gaúcha baiano baiana nordestino nordestina lisboeta portuense europeu europeia africano africana
      estrangeiro estrangeira lisboa porto braga coimbra faro são rio brasília brasilia fortaleza recife curitiba manaus
      belém belem campinas luanda maputo brasil angola vivo claro meo altice edp ctt correios itaú itau bradesco caixa
      nubank magalu natal páscoa flamengo corinthians palmeiras grêmio gremio benfica sporting evangélico evangélica
      católico católica espírita crente autônomo autônoma autónomo autónoma fã ruivo ruiva loiro loira membro sócio sócia
      titular hóspede`),
    org: words(`banco seguros seguradora serviço servico atendimento suporte empresa farmácia farmacia clínica clinica
      consultório centro loja restaurante oficina agência agencia prefeitura câmara escritório recepção cobrança
      financeiro entregas transportadora operadora grupo energia`),
    titles: words("senhor senhora sr sra srta dona dom doutor doutora dra"),
    commonWordEnding: /^\p{L}{3,}(?:ado|ada|ido|oso|osa|ável|ível|ivo)$/iu, // "Sou Divorciado", "Sou Responsável"
  },
  nl: {
    stop: words(`ik jij je u hij zij ze wij we jullie mij me mijn jouw uw zijn haar ons onze hun het de een en of maar dat
      die dit deze wat wie waar wanneer hoe waarom in op aan bij met voor van naar uit over onder door om tot te niet geen
      wel ook nog alleen heel erg zeer hier daar er nu ja nee even gewoon eigenlijk is was heb heeft hebben bel bellen
      heet naam moe ziek blij boos nieuw nieuwe zwanger getrouwd gepensioneerd lang moeilijk ingewikkeld verkeerd fout
      goed belangrijk bekend dank bedankt hallo hoi zelf anders zoals oud thuis buiten binnen klaar spoed betrekking
      plezier excuses vakantie haast verlof pensioen`),
    notAPerson: words(`eigenaar eigenaresse lid gast docent leraar lerares ondernemer mantelzorger zzp'er huurder
      verhuurder buurman buurvrouw monteur bezorger chauffeur verpleegkundige arts moeder vader zoon dochter vrouw
      echtgenoot echtgenote broer zus vriend vriendin collega oma opa mama papa medewerker medewerkster klant patiënt
      vegetariër vegetarier veganist student studente nederlander nederlandse nederlands hollander hollandse belg
      belgische vlaming vlaamse duitser duitse fransman franse engelsman engelse amerikaan amerikaanse marokkaan
      marokkaanse turk turkse surinamer surinaamse antilliaan pool poolse spanjaard spaanse italiaan italiaanse
      amsterdammer rotterdammer fries friese brabander limburger buitenlander rotterdam utrecht eindhoven groningen
      tilburg almere breda nijmegen arnhem haarlem leiden delft maastricht zwolle antwerpen gent brugge nederland belgië
      belgie holland friesland brabant limburg kpn ziggo odido tele2 postnl dhl ing rabobank abn sns eneco essent
      vattenfall bol jumbo coolblue thuisbezorgd belastingdienst ns lidl aldi hema kruidvat anwb menzis maandag dinsdag
      woensdag donderdag vrijdag zaterdag zondag kerst kerstmis pasen pinksteren hemelvaart koningsdag sinterklaas oudjaar
      nieuwjaar moederdag vaderdag carnaval`),
    org: words(`verzekering verzekeringen verzekeraar klantenservice bedrijf apotheek kliniek ziekenhuis praktijk
      huisartsenpraktijk tandartspraktijk centrum winkel gemeente kantoor receptie administratie facturatie bezorging
      bezorgdienst groep energie afdeling woningcorporatie makelaar makelaardij thuiszorg bv nv heijn`),
    titles: words("meneer mevrouw mevr dhr juffrouw dokter"),
    commonWordEnding: /^\p{L}{3,}(?:lijk|lijke|baar|isch|ische|aams|aanse?|iaans)$/iu, // "Met Vriendelijke groet", "Ik ben Surinaams"
  },
  pl: {
    stop: words(`ja ty on ona ono my wy oni one mnie mi ci go jej nas was ich się sie z ze w we na do o od po za przy dla
      u i a ale albo lub czy nie tak to ten ta te tu tam tutaj już juz jeszcze tylko też tez bardzo no więc wiec bo że co
      kto jak gdzie kiedy dlaczego mój moj moja moje mojego państwo panstwo proszę prosze dzień dzien dobry dziękuję
      dziekuje przepraszam jest są sa jestem byłem bylem byłam bylam mam ma chodzi dzwonię dzwonie chciałem chcialem
      chciałam chcialam sprawie zamówienie zamowienie zamówieniem rezerwacja rezerwacji zmęczony zmeczony zmęczona
      zmeczona chory chora nowy nowa wszystko nic nikt ktoś ktos trudne długie dlugie ważne wazne źle zle dobrze spóźniony
      spozniony spóźniona spozniona zajęty zajety zajęta zajeta`),
    notAPerson: words(`kierownik kierowniczka szef szefowa właściciel wlasciciel właścicielka lekarz lekarzem pielęgniarka
      technik kierowca sąsiad sąsiadka mama mamą tata tatą mąż maz żona zona syn córka corka brat siostra babcia dziadek
      pacjent pacjentem pacjentka konsultant konsultantka klient klientka klientem klientką wegetarianinem wegetarianką
      weganinem weganką cukrzykiem emerytem emerytką studentem studentką polak polka polakiem polką niemiec niemka niemcem
      niemką ukrainiec ukrainka ukraińcem ukrainką rosjanin rosjanka rosjaninem anglik anglikiem amerykanin amerykaninem
      amerykanka francuz francuzem włoch wloch włochem hiszpan hiszpanem czech czechem słowak ślązak ślązakiem slazakiem
      kaszub kaszubem góral goral góralem warszawiak warszawiakiem krakowianin krakowianinem krakowianką obcokrajowcem
      cudzoziemcem warszawa warszawy kraków krakow krakowa gdańsk gdansk gdańska wrocław wroclaw wrocławia poznań poznan
      poznania łódź lodz łodzi katowice lublin szczecin gdynia białystok bialystok rzeszów toruń torun polska polski
      niemcy śląsk slask orange play plus inpost poczta pko mbank pekao ing allegro pzu tauron pge enea zus biedronka
      żabka zabka netia upc vectra nju policja pogotowie straż straz`),
    org: words(`ubezpieczenia ubezpieczenie obsługa obsluga serwis biuro firma apteka klinika szpital przychodnia gabinet
      centrum sklep restauracja warsztat agencja urząd urzad gmina recepcja księgowość ksiegowosc dostawa kurier grupa
      energia dział dzial infolinia spółka spolka`),
    titles: words("pan pani panna doktor mecenas"),
  },
});

/** The words a cue's name is judged by: English's plus those of the cue's language and of the caller's. */
export interface Vocabulary {
  isStop(lower: string): boolean;
  isNotAPerson(lower: string): boolean;
  isOrg(lower: string): boolean;
  isTitle(word: string): boolean;
  hasCommonWordEnding(word: string): boolean;
}

const vocabularies = new Map<string, Vocabulary>();

export function vocabularyFor(...languages: readonly (CueLanguage | undefined)[]): Vocabulary {
  const key = languages.join("|");
  const known = vocabularies.get(key);
  if (known !== undefined) return known;
  const lists = [...new Set(languages)].flatMap((language) => (language === undefined ? [] : [languageWords()[language]]));
  const vocabulary: Vocabulary = {
    isStop: (lower) => STOP_WORDS.has(lower) || lists.some((list) => list.stop.has(lower)),
    isNotAPerson: (lower) => NOT_A_PERSON.has(lower) || lists.some((list) => list.notAPerson.has(lower) || list.org.has(lower)),
    isOrg: (lower) => ORG_WORDS.has(lower) || lists.some((list) => list.org.has(lower)),
    isTitle: (word) => isTitle(word) || lists.some((list) => list.titles.has(word.toLowerCase().replace(/\.$/u, ""))),
    hasCommonWordEnding: (word) => lists.some((list) => list.commonWordEnding?.test(word) === true),
  };
  vocabularies.set(key, vocabulary);
  return vocabulary;
}
