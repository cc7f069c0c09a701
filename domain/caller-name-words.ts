/**
 * The words of caller-name extraction (`caller-name.ts`): what a name word looks like, how it is
 * written, and which words never are one. The lists are hand-written and kept small because the
 * domain imports nothing outside domain/, and each only needs what callers say after a cue.
 */

/** One word of a name: letters (any script, with combining marks), joined by inner hyphens or apostrophes. */
const NAME_WORD = /^\p{L}[\p{L}\p{M}]*(?:['-]\p{L}[\p{L}\p{M}]*)*$/u;
const MAX_WORD_LENGTH = 30;

/** Lower-case surname particles that stay lower-case inside a written name. */
export const PARTICLES = new Set([
  "van", "von", "der", "den", "ter", "de", "del", "della", "da", "di", "do", "dos", "das", "du", "la", "le", "bin", "ibn", "al",
]);

/**
 * Values that mean "no name" in a written source. Kept apart from {@link STOP_WORDS} because written
 * sources were already judged to be names, and words like "June" or "Hope" are names there.
 */
export const JUNK_WORDS = new Set([
  "unknown", "none", "null", "undefined", "nil", "na", "anonymous", "unnamed", "unspecified", "unstated",
  "redacted", "withheld", "provided", "given", "stated", "known", "mentioned", "available", "applicable",
  "unclear", "unsure", "not", "no", "yes", "the", "a", "an", "caller", "customer", "client", "user", "person",
  "someone", "somebody", "nobody", "name", "test", "me", "him", "her", "them", "it", "this", "that", "tbd",
  "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "madam", "maam", "ma'am",
]);

/** Words that are never a name after any spoken cue, "my name is" included ("my name is not important"). */
export const STOP_WORDS = new Set([
  ...JUNK_WORDS,
  // pronouns and function words
  "i", "i'm", "im", "i've", "ive", "my", "mine", "myself", "you", "your", "yours", "he", "his", "she", "hers",
  "we", "us", "our", "they", "their", "its", "it's", "who", "whom", "whose", "what", "which", "where", "when",
  "why", "how", "these", "those", "there", "here", "and", "or", "but", "so", "if", "then", "than", "as", "like",
  "because", "since", "while", "until", "unless", "though", "although", "whether", "in", "on", "at", "to",
  "from", "with", "without", "for", "of", "by", "about", "into", "onto", "over", "under", "after", "before",
  "around", "near", "off", "out", "up", "down", "back", "again", "also", "too", "just", "only", "still", "even",
  "already", "really", "actually", "very", "quite", "pretty", "such", "all", "any", "some", "nothing",
  "anyone", "anybody", "everyone", "everybody", "one", "both", "each", "every", "other", "another", "same",
  "nope", "yeah", "yep", "yup", "ok", "okay", "sure", "right", "well", "oh", "um", "uh", "hmm", "er", "ah",
  "kind", "sort", "btw", "anyway", "whatever", "whichever", "wherever", "however", "everything", "something", "anything", "first", "last", "next", "once",
  "instead", "straight", "self", "based", "st", "mt", "alright", "half", "quarter", "two", "three", "four",
  "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty", "thirty", "forty", "fifty",
  "sixty", "seventy", "eighty", "ninety", "hundred",
  // verbs and auxiliaries
  "am", "is", "are", "was", "were", "be", "been", "being", "do", "does", "did", "done", "doing", "have", "has",
  "had", "having", "get", "got", "getting", "go", "going", "gone", "gonna", "wanna", "gotta", "can", "could",
  "would", "shall", "should", "might", "must", "calling", "ringing", "phoning", "looking", "trying",
  "wondering", "hoping", "checking", "returning", "following", "asking", "wanting", "needing", "waiting",
  "coming", "making", "booking", "reaching", "contacting", "speaking", "talking", "enquiring", "inquiring",
  "writing", "texting", "thinking", "planning", "moving", "leaving", "running", "working", "living",
  "staying", "driving", "feeling", "heading", "sitting", "standing", "starving", "regarding", "concerning",
  "re", "need", "want", "wanted", "called", "interested", "spelled", "spelt", "misspelled", "listed", "booked",
  "delayed", "cancelled", "canceled", "missing", "sorted", "fixed", "leaking", "flashing", "beeping",
  "blocked", "locked", "frozen", "expecting", "fasting", "recovering", "injured", "hurt", "unwell", "awake",
  "asleep", "abroad", "overseas", "local", "nearby", "downstairs", "upstairs", "stranded", "engaged",
  "widowed", "separated", "registered", "insured", "covered", "eligible", "employed", "freelance",
  // adjectives and states
  "fine", "good", "great", "sorry", "afraid", "glad", "happy", "sad", "ready", "new", "old", "late", "early",
  "busy", "free", "certain", "confused", "lost", "stuck", "tired", "sick", "ill", "worried", "upset", "angry",
  "annoyed", "frustrated", "disappointed", "pleased", "excited", "curious", "aware", "unable", "able", "home",
  "away", "alone", "single", "married", "divorced", "retired", "pregnant", "vegetarian", "vegan", "allergic",
  "diabetic", "deaf", "blind", "disabled", "urgent", "important", "serious", "ridiculous", "crazy", "correct",
  "wrong", "true", "false", "real", "nice", "cool", "cold", "hot", "warm", "bad", "better", "best", "worse",
  "worst", "terrible", "awful", "perfect", "open", "closed", "broken", "outside", "inside", "hungry",
  "thirsty", "exhausted", "sleepy", "scared", "nervous", "anxious", "stressed", "bored", "lonely", "grateful",
  "thankful", "positive", "satisfied", "unhappy", "furious", "shocked", "surprised", "embarrassed", "amazing",
  "awesome", "brilliant", "lovely", "weird", "strange", "unemployed", "raining", "snowing", "due", "overdue",
  "insane", "unbelievable", "unacceptable", "outrageous", "interesting", "confusing", "annoying",
  "frustrating", "excellent", "fantastic", "wonderful", "incredible", "horrible", "impossible", "possible",
  "normal", "silly", "stupid", "easy", "hard", "difficult", "simple", "complicated", "expensive", "cheap",
  "slow", "fast", "big", "small", "huge", "long", "short", "different", "similar", "fair", "unfair", "clear",
  "helpful", "useless", "awkward", "tricky", "fun", "funny", "boring", "dangerous", "safe", "private",
  "personal", "confidential", "finished", "dead", "quiet", "loud", "dark", "empty", "full", "well", "sober",
  "hopeful", "concerned", "relieved", "older", "younger", "elderly", "never", "always", "sometimes",
  "autistic", "dyslexic", "asthmatic", "epileptic", "coeliac", "celiac", "lactose", "gluten", "pescatarian",
  "halal", "kosher", "student", "homeless", "broke", "lucky", "blessed", "impressed", "overwhelmed", "gay",
  "trans", "bisexual", "lesbian", "queer", "noon", "midnight", "lunchtime", "lunch", "dinner", "breakfast",
  "brunch", "bedtime",
  "literally", "basically", "honestly", "probably", "definitely", "currently", "recently", "finally",
  "directly", "quickly", "immediately", "personally", "usually", "obviously", "exactly", "totally", "simply",
  "maybe", "later", "soon", "now", "today", "tonight", "tomorrow", "yesterday", "sometime", "anytime",
  "whenever", "asap", "please", "thanks", "thank", "bye", "goodbye", "hi", "hello", "hey", "hiya", "welcome",
  // things a caller refers to ("It's Room 12", "this is Order 4471")
  "room", "flat", "apartment", "unit", "suite", "order", "number", "account", "reference", "invoice", "ticket",
  "table", "seat", "flight", "gate", "type", "email", "phone", "address", "code", "problem", "issue",
  "question", "emergency", "morning", "afternoon", "evening", "night", "week", "month", "year", "birthday",
  // relations
  "guest", "member", "patient", "owner", "mom", "mum", "mother", "dad", "father", "wife", "husband", "son",
  "daughter", "sister", "brother", "friend",
]);

/**
 * Businesses and departments: a capitalised word after a weak cue, or right after the first one
 * ("Apple Support", "Brightwell Energy"), means an organisation is speaking, not a person.
 */
export const ORG_WORDS = new Set([
  "support", "service", "services", "customer", "bank", "banking", "energy", "gas", "water", "electric",
  "utilities", "insurance", "mobile", "wireless", "telecom", "broadband", "cable", "airlines", "airways",
  "rail", "delivery", "deliveries", "logistics", "couriers", "express", "parcels", "pharmacy", "clinic",
  "hospital", "dental", "medical", "healthcare", "surgery", "school", "college", "university", "council",
  "police", "department", "agency", "office", "group", "company", "corp", "corporation", "inc", "ltd", "llc",
  "plc", "holdings", "solutions", "systems", "technologies", "labs", "finance", "financial", "credit", "loans",
  "mortgages", "card", "cards", "billing", "accounts", "sales", "collections", "fraud", "prevention",
  "security", "reception", "desk", "housekeeping", "maintenance", "dispatch", "management", "admin", "hq",
  "store", "shop", "supermarket", "restaurant", "hotel", "motors", "realty", "properties", "lettings", "line",
  "team", "helpdesk", "hotline", "helpline", "centre", "center", "eats", "airport", "station", "terminal",
  "plumbing", "heating", "roofing", "cleaning", "catering", "construction", "builders", "garage", "salon",
  "gym", "fitness", "bakery", "pizza", "cafe", "pub", "grill", "kitchen", "diner", "vets", "veterinary",
  "practice", "studio", "studios", "consulting", "partners", "associates", "legal", "solicitors",
  "accountants", "estates", "homes", "housing", "rentals", "hire", "taxis", "cabs", "removals", "storage",
  "transport", "freight", "shipping", "travel", "tours", "holidays", "tickets", "foods", "pharmaceuticals",
]);

/**
 * Never a caller's name after a weak cue ("It's Paris", "I'm Nigerian", "This is Chase") or after
 * "call me" ("call me Friday"). "My name is" is exempt: "My name is Jordan" or "Sunday" is a name.
 */
export const NOT_A_PERSON = new Set([
  ...ORG_WORDS,
  // roles and job titles
  "manager", "supervisor", "receptionist", "front", "nurse", "officer", "detective", "sergeant", "constable",
  "captain", "agent", "representative", "technician", "engineer", "driver", "courier", "landlord", "tenant",
  "neighbour", "neighbor", "director", "assistant", "secretary", "staff", "boss", "operator", "concierge",
  "dispatcher", "caretaker", "sir", "madam", "nan", "grandma", "grandpa", "auntie", "uncle",
  // companies that call people
  "google", "apple", "amazon", "microsoft", "facebook", "meta", "instagram", "whatsapp", "netflix", "spotify",
  "uber", "lyft", "airbnb", "paypal", "visa", "mastercard", "amex", "chase", "citi", "citibank", "barclays",
  "lloyds", "natwest", "santander", "halifax", "nationwide", "monzo", "revolut", "wells", "capital",
  "discover", "verizon", "comcast", "xfinity", "spectrum", "vodafone", "fedex", "hermes", "evri", "royal",
  "tesco", "walmart", "costco", "ikea", "ebay", "samsung", "tesla", "hertz", "expedia", "geico", "allstate",
  "aviva", "medicare", "medicaid", "octopus", "thames", "sky", "virgin", "doordash", "deliveroo", "instacart",
  "starbucks", "british", "con", "walgreens", "kroger", "target", "argos", "asda", "sainsburys", "boots",
  "currys", "hulu", "disney", "dell", "sony", "nike", "adidas", "ups", "usps", "dpd", "aetna", "cigna",
  "humana", "kaiser", "optum", "progressive", "geico", "metlife", "prudential", "equifax", "experian",
  "barclaycard",
  // places, and the first word of two-word places
  "paris", "london", "chicago", "lagos", "berlin", "madrid", "rome", "dublin", "manchester", "liverpool",
  "birmingham", "glasgow", "edinburgh", "toronto", "vancouver", "montreal", "sydney", "melbourne", "boston",
  "seattle", "denver", "dallas", "houston", "austin", "atlanta", "miami", "orlando", "phoenix", "detroit",
  "brooklyn", "queens", "manhattan", "nairobi", "accra", "abuja", "johannesburg", "cairo", "dubai", "mumbai",
  "delhi", "karachi", "dhaka", "manila", "tokyo", "beijing", "shanghai", "seoul", "singapore", "bangkok",
  "istanbul", "amsterdam", "brussels", "vienna", "prague", "warsaw", "lisbon", "athens", "stockholm", "oslo",
  "heathrow", "gatwick", "america", "usa", "canada", "mexico", "england", "scotland", "wales", "ireland",
  "france", "germany", "spain", "italy", "portugal", "poland", "china", "japan", "korea", "india", "pakistan",
  "nigeria", "ghana", "kenya", "egypt", "australia", "brazil", "argentina", "jamaica", "jordan", "israel",
  "texas", "california", "florida", "georgia", "virginia", "carolina", "ohio", "michigan", "arizona",
  "colorado", "oregon", "washington", "jersey", "york", "hong", "buenos", "cape", "san", "los", "las", "tel",
  "abu", "santa", "north", "south", "east", "west", "saint", "port", "fort", "mount", "united", "great",
  // nationalities, languages, faiths ("I'm Dutch", "It's Mandarin")
  "american", "english", "irish", "scottish", "welsh", "canadian", "australian", "mexican", "spanish",
  "french", "german", "italian", "dutch", "portuguese", "brazilian", "argentinian", "colombian", "peruvian",
  "chilean", "venezuelan", "cuban", "jamaican", "haitian", "dominican", "puerto", "chinese", "japanese",
  "korean", "vietnamese", "thai", "filipino", "filipina", "indonesian", "malaysian", "indian", "pakistani",
  "bangladeshi", "nepalese", "sri", "afghan", "iranian", "persian", "iraqi", "syrian", "lebanese", "turkish",
  "kurdish", "armenian", "israeli", "palestinian", "arab", "arabic", "egyptian", "moroccan", "algerian",
  "nigerian", "ghanaian", "kenyan", "ugandan", "tanzanian", "ethiopian", "eritrean", "somali", "sudanese",
  "congolese", "cameroonian", "senegalese", "zimbabwean", "russian", "ukrainian", "polish", "czech",
  "slovak", "hungarian", "romanian", "bulgarian", "serbian", "croatian", "bosnian", "albanian", "greek",
  "swiss", "austrian", "belgian", "swedish", "norwegian", "danish", "finnish", "icelandic", "scandinavian",
  "african", "asian", "european", "caribbean", "latino", "latina", "hispanic", "texan", "kiwi", "aussie",
  "mandarin", "cantonese", "hindi", "urdu", "punjabi", "bengali", "tamil", "swahili", "yoruba", "igbo",
  "hausa", "tagalog", "taiwanese", "singaporean", "burmese", "cambodian", "mongolian", "tibetan",
  "samoan", "tongan", "fijian", "maori", "hawaiian", "guatemalan", "honduran", "salvadoran", "ecuadorian",
  "bolivian", "uruguayan", "trinidadian", "bajan", "guyanese", "liberian", "gambian", "ivorian", "rwandan",
  "zambian", "malawian", "angolan", "namibian", "libyan", "tunisian", "yemeni", "emirati", "qatari",
  "kuwaiti", "saudi", "jordanian", "cypriot", "maltese", "lithuanian", "latvian", "estonian", "slovenian",
  "georgian", "uzbek", "kazakh", "azerbaijani", "belarusian", "moldovan", "scots", "brit", "yankee",
  "californian", "londoner", "jewish", "muslim", "christian", "catholic", "protestant", "hindu", "buddhist", "sikh",
  "atheist", "mormon", "orthodox", "black", "white", "brown", "mixed",
  // days, months, seasons, holidays
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend", "january",
  "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
  "december", "spring", "summer", "autumn", "fall", "winter", "christmas", "xmas", "easter", "thanksgiving",
  "halloween", "diwali", "eid", "ramadan", "hanukkah", "passover", "sunny",
]);

export function isNameShaped(word: string): boolean {
  return NAME_WORD.test(word) && word.length <= MAX_WORD_LENGTH;
}

export function formatWords(words: readonly string[]): string {
  return words.map((word, index) => (index > 0 && PARTICLES.has(word) ? word : capitaliseWord(word))).join(" ");
}

/** "o'brien" → "O'Brien", "MARY-JANE" → "Mary-Jane"; mixed case such as "McDonald" is kept as given. */
function capitaliseWord(word: string): string {
  if (word !== word.toLowerCase() && word !== word.toUpperCase()) return word;
  return word
    .toLowerCase()
    .split(/(['-])/u)
    .map((part) => {
      const [head = "", ...tail] = Array.from(part);
      return head.toUpperCase() + tail.join("");
    })
    .join("");
}

export function letterCount(word: string): number {
  return word.match(/\p{L}/gu)?.length ?? 0;
}

export function startsUpper(word: string): boolean {
  const head = Array.from(word)[0] ?? "";
  return head !== head.toLowerCase() && head === head.toUpperCase();
}

export function isAllUpper(word: string): boolean {
  return letterCount(word) >= 2 && word === word.toUpperCase() && word !== word.toLowerCase();
}

export function isPossessive(word: string): boolean {
  return /\p{L}'s$/iu.test(word);
}

/** Typographic apostrophes and hyphens as ASCII, accents composed, so one rule reads every spelling. */
export function normaliseText(text: string): string {
  return text
    .normalize("NFC")
    .replace(/[\u2018\u2019\u02BC\u00B4`]/gu, "'")
    .replace(/[\u2010\u2011]/gu, "-")
    .replace(/\b(dr|mrs?|ms|mx|prof|sra?|srta|dra|mme|mlle|dott|sig|dhr|mevr)\./giu, "$1"); // "Dr. Amara", "Sra. López" is one sentence
}
