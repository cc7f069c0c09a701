/**
 * What callers of a concierge, restaurant or delivery line talk about, as groups of words that stand
 * for one another in a question: "what does she eat" is asked of "I'm vegetarian now", "best number to
 * reach him" of "call me on my mobile after six". A question's word brings in the other words of its
 * groups, each counting for less than a word the question used (see embedded-ranking.ts).
 *
 * Hand-written rather than a thesaurus package: WordNet-style synonym lists relate words of one meaning
 * ("eat": "consume", "devour"), not the topic a caller's words belong to ("eat": "vegetarian", "halal").
 * Forms of a word need not be listed: words are compared by their Porter stem ("allergies" is "allergy").
 */
export const CONCEPTS: readonly string[] = [
  // What a caller eats.
  "diet dietary eat eats eating ate food foods meal meals menu dish dishes meat vegetarian veggie vegan plant pescatarian fish seafood " +
    "gluten coeliac celiac wheat halal kosher dairy lactose keto paleo sugar diabetic restriction restrictions kitchen cook beef chicken pork " +
    "lamb steak bacon ham vegetables salad",
  // What makes a caller ill.
  "allergy allergic allergen intolerance intolerant react reaction ill sick unwell hives anaphylaxis epipen sensitive sensitivity avoid safe " +
    "ingredient ingredients trace peanut peanuts nut nuts sesame shellfish prawn prawns mussels egg eggs soy dairy lactose gluten",
  // How and when to reach a caller.
  "contact contacted reach reachable touch call calls ring phone number mobile cell landline text texts texting sms message messages " +
    "email emails mail voicemail whatsapp signal telegram reply respond callback follow",
  // When a caller is free.
  "time times available availability hours morning mornings afternoon evening evenings night nights noon weekend weekday",
  // Where a caller lives or takes deliveries.
  "address home house flat apartment live lives living reside resident street road lane avenue close square drive crescent place " +
    "postcode zip moved move moving based deliver delivery drop send sent parcel parcels door",
  // Where a caller sits.
  "sit seat seats seating table tables spot window corner terrace patio garden outside outdoors inside indoors booth bar fireplace quiet view",
  // How a caller pays.
  "pay paid paying payment payments bill billing bills settle charge charged card credit debit visa mastercard amex invoice invoiced account " +
    "cash paypal transfer refund",
  // Who a caller lives or comes with.
  "family household partner husband wife spouse married fiance fiancee boyfriend girlfriend kids kid children child son sons daughter " +
    "daughters boys girls baby mother mum mom father dad parents sister brother grandmother grandfather",
  // A caller's animals.
  "pet pets animal animals dog dogs puppy cat cats kitten parrot bird rabbit hamster tortoise spaniel greyhound terrier labrador retriever " +
    "poodle collie dachshund",
  // What a caller does for work.
  "job jobs work works working worker occupation profession career living employer employed office shift shifts nurse doctor teacher teach " +
    "teaches teaching school driver taxi architect chef engineer lawyer accountant manager builder plumber electrician pharmacist dentist " +
    "police firefighter professor consultant freelance retired student",
  // What a caller needs to get in and around.
  "access accessible accessibility mobility wheelchair disabled disability steps step stairs ramp lift elevator cane walker crutches " +
    "hearing deaf blind sight guide help assistance",
  // Days a caller marks.
  "birthday anniversary celebrate celebrating celebration occasion graduation graduates wedding party date dates turn turns",
  // What a caller drinks.
  "drink drinks drinking beverage wine rioja prosecco beer ale cider coffee tea latte cappuccino espresso water sparkling juice " +
    "cocktail alcohol pour soda oat milk",
  // The language a caller speaks.
  "language languages speak speaks speaking spoken tongue english spanish portuguese polish french german italian arabic mandarin " +
    "cantonese hindi urdu interpreter translator translate",
  // Bookings.
  "book booked booking bookings reservation reservations reserve reserved table",
  // What went wrong.
  "complaint complain complained problem issue wrong late cold unhappy disappointed apology apologised sorry",
];
