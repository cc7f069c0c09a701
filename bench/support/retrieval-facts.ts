/**
 * What the retrieval corpus (retrieval-corpus.ts) is made of: facts a caller states about themself,
 * the questions an agent asks about them in other words, and what calls are about.
 *
 * Templates: `{they}` / `{them}` / `{their}` become the caller's pronouns (she/her/her, he/him/his),
 * `{name}` the caller's first name, and the topic placeholders (`{day}`, `{dish}`…) a value drawn
 * for the call.
 */

/** One value a fact can take, and how a caller says it. */
export interface FactValue {
  /** What the caller says, first person (one is drawn per call). */
  readonly said: readonly string[];
  /** How the call summary mentions it, third person ("{they} mentioned that …"). */
  readonly summary: string;
  /** The data-collection value, when the kind is collected. */
  readonly collected: string;
  /** Words an answer must carry (matched case-insensitively at the start of a word). */
  readonly answer: readonly string[];
}

/** A kind of fact about a caller. */
export interface FactKind {
  /** The data-collection field id when the agent collects this fact (then `metadata.fact_key`), else a category. */
  readonly id: string;
  readonly collected: boolean;
  /** Whether a later call may state a new value (the caller moved, changed diet…). */
  readonly changes: boolean;
  readonly values: readonly FactValue[];
  /** What an agent asks to find the fact: never the fact's own words. */
  readonly questions: readonly string[];
  /**
   * More such questions, written after the concept lists of the embedded ranking were frozen
   * (adapters/outbound/embedded/embedded-concepts.ts): how the ranking does on wording it was not written against.
   */
  readonly heldOut: readonly string[];
}

export const FACT_KINDS: readonly FactKind[] = [
  {
    id: "dietary_requirements",
    collected: true,
    changes: true,
    values: [
      {
        said: ["I'm vegetarian now, so no meat for me please.", "I stopped having meat last year, I'm vegetarian these days."],
        summary: "{they} is vegetarian",
        collected: "vegetarian",
        answer: ["vegetarian"],
      },
      {
        said: ["I've gone fully vegan, so no dairy or eggs either.", "I'm vegan now, nothing from animals at all."],
        summary: "{they} follows a vegan diet",
        collected: "vegan",
        answer: ["vegan"],
      },
      {
        said: ["I don't have meat but fish is fine, I'm pescatarian.", "Pescatarian for me, so seafood yes, meat no."],
        summary: "{they} is pescatarian",
        collected: "pescatarian",
        answer: ["pescatarian"],
      },
      {
        said: ["I'm coeliac, so everything has to be gluten-free.", "I was diagnosed coeliac, so no gluten at all."],
        summary: "{they} needs gluten-free food because of coeliac disease",
        collected: "gluten-free (coeliac)",
        answer: ["gluten", "coeliac"],
      },
      {
        said: ["All my food needs to be halal.", "Please make sure anything I order is halal."],
        summary: "{they} only has halal food",
        collected: "halal",
        answer: ["halal"],
      },
      {
        said: ["We keep kosher at home, so it has to be kosher.", "I only have kosher food."],
        summary: "{they} keeps kosher",
        collected: "kosher",
        answer: ["kosher"],
      },
    ],
    questions: [
      "what does {they} eat",
      "any food restrictions for {them}",
      "can {they} have the beef stew",
      "what should the kitchen know before {they} orders",
      "is there anything {name} won't eat",
      "meal preferences",
    ],
    heldOut: ["food the caller avoids", "what can't {they} have for dinner", "is {name} on a special diet"],
  },
  {
    id: "allergies",
    collected: true,
    changes: false,
    values: [
      { said: ["I should say I'm allergic to sesame, even a trace sets me off."], summary: "{they} has a sesame allergy", collected: "sesame", answer: ["sesame"] },
      { said: ["I have a peanut allergy, a bad one, I carry an EpiPen."], summary: "{they} is allergic to peanuts", collected: "peanuts", answer: ["peanut"] },
      { said: ["Shellfish makes me really ill, so no prawns or mussels."], summary: "{they} cannot have shellfish", collected: "shellfish", answer: ["shellfish"] },
      { said: ["I react to tree nuts, walnuts and cashews especially."], summary: "{they} reacts to tree nuts", collected: "tree nuts", answer: ["nuts"] },
      { said: ["Eggs give me hives, so nothing with egg in it please."], summary: "{they} is allergic to eggs", collected: "eggs", answer: ["egg"] },
    ],
    questions: [
      "anything that could make {them} ill",
      "what reaction should we watch out for",
      "is {they} sensitive to any ingredients",
      "ingredients {they} has to avoid",
      "is it safe to serve {them} the satay",
    ],
    heldOut: ["does {they} have allergies", "foods that are dangerous for {them}"],
  },
  {
    id: "preferred_contact",
    collected: true,
    changes: true,
    values: [
      {
        said: ["Call me on my mobile after six, I'm at work before that.", "Ring my mobile, but only after six in the evening."],
        summary: "{they} prefers calls to {their} mobile after six",
        collected: "mobile, after six pm",
        answer: ["mobile", "six"],
      },
      {
        said: ["Texting is best, I can't pick up the phone at work.", "Just send me a text, I never answer calls."],
        summary: "{they} would rather get a text",
        collected: "text message",
        answer: ["text"],
      },
      {
        said: ["Email is the way to reach me, I never check voicemail.", "Send everything by email please."],
        summary: "{they} wants to be contacted by email",
        collected: "email",
        answer: ["email"],
      },
      {
        said: ["Send me a WhatsApp message, that's what I check.", "WhatsApp me, it's easiest."],
        summary: "{they} prefers WhatsApp messages",
        collected: "WhatsApp",
        answer: ["whatsapp"],
      },
      {
        said: ["Use the landline at the house, mornings are good.", "The home landline is better, before noon."],
        summary: "{they} prefers the home landline in the mornings",
        collected: "landline, mornings",
        answer: ["landline"],
      },
    ],
    questions: [
      "best number to reach {them}",
      "how should we get in touch with {them}",
      "how does {they} like to be contacted",
      "when and how to ring {name} back",
      "how to follow up with {them} about the booking",
    ],
    heldOut: ["how to reach {name}", "{their} phone or email preference"],
  },
  {
    id: "delivery_address",
    collected: true,
    changes: true,
    values: [
      { said: ["We moved last month, the new place is 27 Mill Lane.", "Deliveries go to 27 Mill Lane now."], summary: "{they} lives at 27 Mill Lane", collected: "27 Mill Lane", answer: ["27", "mill", "lane"] },
      { said: ["I'm at 14 Harbour Street now, flat 3.", "Send it to flat 3, 14 Harbour Street."], summary: "{they} lives at 14 Harbour Street, flat 3", collected: "14 Harbour Street, flat 3", answer: ["14", "harbour"] },
      { said: ["We're living at 8 Orchard Close these days.", "Drop it at 8 Orchard Close please."], summary: "{their} home is 8 Orchard Close", collected: "8 Orchard Close", answer: ["8", "orchard"] },
      { said: ["My flat is 102 Kestrel Road, top floor.", "It's 102 Kestrel Road, buzz the top bell."], summary: "{they} lives at 102 Kestrel Road", collected: "102 Kestrel Road", answer: ["102", "kestrel"] },
      { said: ["We just got the keys to 61 Larch Avenue.", "Bring it round to 61 Larch Avenue."], summary: "{they} moved to 61 Larch Avenue", collected: "61 Larch Avenue", answer: ["61", "larch"] },
      { said: ["I'm staying at 5 Fountain Square for now.", "It's 5 Fountain Square, the blue door."], summary: "{they} is at 5 Fountain Square", collected: "5 Fountain Square", answer: ["5", "fountain"] },
    ],
    questions: [
      "where does {they} live now",
      "where should the order be sent",
      "what's {their} home address",
      "where do we drop off {their} groceries",
      "where is {name} based",
    ],
    heldOut: ["where {they} stays", "postcode and street for deliveries"],
  },
  {
    id: "seating_preference",
    collected: true,
    changes: true,
    values: [
      { said: ["If you can, put us by the window, I love watching the street."], summary: "{they} likes a window table", collected: "window table", answer: ["window"] },
      { said: ["Somewhere quiet in a corner please, I can't hear in the noise."], summary: "{they} asks for a quiet corner", collected: "quiet corner", answer: ["quiet", "corner"] },
      { said: ["We always want to be out on the terrace if the weather's nice."], summary: "{they} prefers the terrace", collected: "terrace", answer: ["terrace"] },
      { said: ["A booth is best for us, the kids stay put that way."], summary: "{they} prefers a booth", collected: "booth", answer: ["booth"] },
      { said: ["Near the fireplace if possible, I feel the cold."], summary: "{they} likes sitting near the fireplace", collected: "by the fireplace", answer: ["fireplace"] },
    ],
    questions: ["where does {they} like to sit", "which table should we give {them}", "{their} favourite spot in the restaurant"],
    heldOut: ["preferred seat", "where to seat {name}"],
  },
  {
    id: "payment_method",
    collected: true,
    changes: true,
    values: [
      { said: ["Just charge the card ending 4412 like always."], summary: "{they} pays with the card ending 4412", collected: "card ending 4412", answer: ["4412"] },
      { said: ["Put it on the company account and invoice us."], summary: "{they} wants the company invoiced", collected: "company invoice", answer: ["invoice"] },
      { said: ["I'll pay cash when the driver comes."], summary: "{they} pays cash on delivery", collected: "cash on delivery", answer: ["cash"] },
      { said: ["Can I use PayPal? That's what I normally do."], summary: "{they} pays through PayPal", collected: "PayPal", answer: ["paypal"] },
      { said: ["Use the Amex ending 9031 from now on."], summary: "{they} uses the Amex ending 9031", collected: "Amex ending 9031", answer: ["9031"] },
    ],
    questions: ["how does {they} settle the bill", "how will {name} pay", "what's on file for charging {them}"],
    heldOut: ["how {they} normally pays", "card details on file"],
  },
  {
    id: "household",
    collected: false,
    changes: false,
    values: [
      { said: ["My husband Ravi usually joins me, he loves your desserts."], summary: "{they} often comes with {their} husband Ravi", collected: "", answer: ["ravi"] },
      { said: ["It'll be me and my wife Elena, as usual."], summary: "{they} comes with {their} wife Elena", collected: "", answer: ["elena"] },
      { said: ["My partner Sam will pick it up if I'm not in."], summary: "{their} partner Sam sometimes collects orders", collected: "", answer: ["sam"] },
      { said: ["I've got the two boys with me, Leo and Max."], summary: "{they} has two sons, Leo and Max", collected: "", answer: ["leo", "max"] },
      { said: ["My daughter Priya is home from university this week."], summary: "{their} daughter Priya is at university", collected: "", answer: ["priya"] },
    ],
    questions: ["who does {they} usually come with", "who is {their} partner", "family members", "does {name} have kids or a spouse"],
    heldOut: ["who lives with {them}", "{their} spouse's name"],
  },
  {
    id: "pet",
    collected: false,
    changes: false,
    values: [
      { said: ["Sorry about the barking, that's Biscuit, our spaniel."], summary: "{they} has a spaniel called Biscuit", collected: "", answer: ["biscuit"] },
      { said: ["My cat Mango just walked across the keyboard, sorry."], summary: "{they} has a cat named Mango", collected: "", answer: ["mango"] },
      { said: ["Kiwi, my parrot, is squawking in the background."], summary: "{they} keeps a parrot called Kiwi", collected: "", answer: ["kiwi"] },
      { said: ["I'll be walking Pepper, my greyhound, when the food comes."], summary: "{they} has a greyhound named Pepper", collected: "", answer: ["pepper"] },
    ],
    questions: ["does {they} have any animals", "what's the name of {their} pet", "is there a dog at {their} place"],
    heldOut: ["{their} dog or cat", "any pets at home"],
  },
  {
    id: "occupation",
    collected: false,
    changes: true,
    values: [
      { said: ["I work nights as a nurse at the hospital, so mornings are tricky."], summary: "{they} works night shifts as a nurse", collected: "", answer: ["nurse"] },
      { said: ["I teach at the primary school, so I'm free after four."], summary: "{they} is a primary school teacher", collected: "", answer: ["teach"] },
      { said: ["I drive a taxi, so my hours are all over the place."], summary: "{they} is a taxi driver", collected: "", answer: ["taxi"] },
      { said: ["I'm an architect, I'm on site most of the day."], summary: "{they} works as an architect", collected: "", answer: ["architect"] },
      { said: ["I'm a chef myself, at a hotel across town."], summary: "{they} works as a chef at a hotel", collected: "", answer: ["chef"] },
    ],
    questions: ["what does {they} do for a living", "what's {their} job", "where does {name} work"],
    heldOut: ["{their} profession", "what {they} works as"],
  },
  {
    id: "accessibility_needs",
    collected: true,
    changes: false,
    values: [
      { said: ["I use a wheelchair, so we need a table without steps."], summary: "{they} uses a wheelchair and needs step-free access", collected: "wheelchair user, step-free access", answer: ["wheelchair"] },
      { said: ["I'm hard of hearing, so please speak up a bit."], summary: "{they} is hard of hearing", collected: "hard of hearing", answer: ["hearing"] },
      { said: ["I come with my guide dog, Bramble, is that all right?"], summary: "{they} has a guide dog", collected: "guide dog", answer: ["guide"] },
      { said: ["I walk with a cane these days, so no stairs please."], summary: "{they} walks with a cane and avoids stairs", collected: "walks with a cane, no stairs", answer: ["cane"] },
    ],
    questions: ["does {they} need any help getting in", "any mobility needs", "anything to arrange so {they} can get around"],
    heldOut: ["disability or access requirements", "does {they} need step-free entry"],
  },
  {
    id: "special_occasion",
    collected: true,
    changes: false,
    values: [
      { said: ["My birthday's on the 14th of May, we'll want to celebrate."], summary: "{their} birthday is on 14 May", collected: "birthday 14 May", answer: ["14", "may"] },
      { said: ["Our anniversary is the 2nd of June, it'll be twenty years."], summary: "{their} wedding anniversary is on 2 June", collected: "anniversary 2 June", answer: ["june"] },
      { said: ["My son graduates on the 9th of July, we'll come for dinner after."], summary: "{their} son graduates on 9 July", collected: "graduation 9 July", answer: ["july"] },
      { said: ["I turn sixty on the 30th of October."], summary: "{they} turns sixty on 30 October", collected: "60th birthday 30 October", answer: ["october"] },
    ],
    questions: ["when does {they} celebrate", "when is {their} big day", "dates to remember for {name}"],
    heldOut: ["{their} birthday or anniversary", "upcoming celebrations"],
  },
  {
    id: "usual_drink",
    collected: false,
    changes: true,
    values: [
      { said: ["I'll have my usual glass of rioja with it."], summary: "{they} usually has a glass of rioja", collected: "", answer: ["rioja"] },
      { said: ["Just sparkling water for me, I don't drink alcohol."], summary: "{they} only has sparkling water", collected: "", answer: ["sparkling"] },
      { said: ["An oat flat white, that's my go-to."], summary: "{they} has an oat flat white", collected: "", answer: ["oat"] },
      { said: ["Ginger beer, always ginger beer."], summary: "{they} always has ginger beer", collected: "", answer: ["ginger"] },
    ],
    questions: ["what does {they} usually have to drink", "{their} usual drink order", "what should we pour for {name}"],
    heldOut: ["favourite beverage", "what {they} likes to drink"],
  },
  {
    id: "preferred_language",
    collected: true,
    changes: false,
    values: [
      { said: ["I'm more comfortable in Spanish if you have someone."], summary: "{they} is more comfortable speaking Spanish", collected: "Spanish", answer: ["spanish"] },
      { said: ["Portuguese is my first language, English is fine though."], summary: "{their} first language is Portuguese", collected: "Portuguese", answer: ["portuguese"] },
      { said: ["If anyone speaks Polish, that would help me."], summary: "{they} would like someone who speaks Polish", collected: "Polish", answer: ["polish"] },
      { said: ["I'd rather speak French if that's possible."], summary: "{they} prefers to speak French", collected: "French", answer: ["french"] },
    ],
    questions: ["which language should the agent use", "does {they} speak another tongue", "what language is {name} most at ease in"],
    heldOut: ["language preference", "should we speak English to {them}"],
  },
];

/** How a caller brings up a fact for the first time, and how they say it changed. */
export const FIRST_MENTION = ["", "Oh, and ", "Also, ", "Just so you know, ", "Before I forget, "];
export const CHANGE_MENTION = ["Oh, something's changed since last time: ", "Quick update for your notes: ", "Actually, that's different now. ", "Things have changed a bit. "];
export const ACKNOWLEDGEMENTS = ["Thanks, I've noted that.", "Got it, I'll update your details.", "Noted, thank you for letting me know.", "Thanks for telling me, that's on your file now."];

/** What a call is about: its turns (caller first), the summary's subject and what the agent did. */
export interface Topic {
  readonly reason: string;
  readonly turns: readonly string[];
  readonly outcome: string;
}

export const TOPICS: readonly Topic[] = [
  {
    reason: "a table booking",
    turns: [
      "I'd like to book a table for {n} on {day} at {time}.",
      "Let me check {day} for you. Yes, {time} is available.",
      "Lovely. Could you note it's {occasion}?",
      "Of course, I've added that to the booking.",
    ],
    outcome: "booked a table for {n} on {day} at {time}",
  },
  {
    reason: "a delivery order",
    turns: [
      "I want to order the {dish} and two sides for delivery tonight.",
      "Sure. What time would suit you?",
      "Around {time} would be perfect.",
      "Your order is in for {time}, the driver will call when outside.",
    ],
    outcome: "placed a delivery order of {dish} for {time}",
  },
  {
    reason: "a billing question",
    turns: [
      "I think I was charged twice for my last order, {amount} each time.",
      "I can see the duplicate charge. I'll refund {amount} now.",
      "How long will that take to come through?",
      "Three to five working days, and you'll get a confirmation.",
    ],
    outcome: "refunded a duplicate charge of {amount}",
  },
  {
    reason: "moving a booking",
    turns: [
      "Can I move my booking from {day} to {day2}?",
      "Let me look. {day2} at the same time works.",
      "Perfect, and the same number of people.",
      "Done, your booking is now on {day2}.",
    ],
    outcome: "moved the booking from {day} to {day2}",
  },
  {
    reason: "a complaint",
    turns: [
      "The {dish} was cold when it arrived and the driver was forty minutes late.",
      "I'm so sorry about that. That isn't the standard we aim for.",
      "I'd like it sorted before I order again.",
      "I've added a credit of {amount} to your account.",
    ],
    outcome: "apologised and added a credit of {amount}",
  },
  {
    reason: "loyalty points",
    turns: [
      "How many points do I have, and can I use them on the tasting menu?",
      "You have {points} points, enough for the tasting menu.",
      "Great, can I book that for {day}?",
      "Yes, I've booked the tasting menu for {day} using your points.",
    ],
    outcome: "redeemed {points} points for the tasting menu on {day}",
  },
  {
    reason: "a gift voucher",
    turns: [
      "I'd like to buy a gift voucher for {amount} for a friend.",
      "Of course. Shall I send it by post or as a code?",
      "A code is fine, it's for {day}.",
      "The voucher code is on its way.",
    ],
    outcome: "sold a gift voucher worth {amount}",
  },
  {
    reason: "opening hours",
    turns: [
      "Are you open on {day}, and do you still do the jazz brunch?",
      "We are, and the jazz brunch runs from eleven.",
      "Is the {dish} still on the brunch menu?",
      "It is, it's one of our most popular dishes.",
    ],
    outcome: "confirmed the {day} opening and the jazz brunch",
  },
];

export const PLACEHOLDERS: Readonly<Record<string, readonly string[]>> = {
  n: ["two", "three", "four", "five", "six"],
  day: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
  day2: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
  time: ["six thirty", "seven", "seven thirty", "eight", "half past eight"],
  occasion: ["a work dinner", "a catch-up with old friends", "a leaving do", "a first date"],
  dish: ["mushroom risotto", "chicken katsu", "beef stew", "sea bass", "margherita pizza", "pad thai", "lamb shank"],
  amount: ["18 pounds 40", "32 pounds", "45 pounds 90", "27 pounds 50", "60 pounds"],
  points: ["1,250", "2,350", "3,100", "880"],
};

export const FIRST_NAMES: readonly { readonly name: string; readonly she: boolean }[] = [
  { name: "Marisol", she: true },
  { name: "Tomasz", she: false },
  { name: "Aiyana", she: true },
  { name: "Bertrand", she: false },
  { name: "Chidi", she: false },
  { name: "Delphine", she: true },
  { name: "Emeka", she: false },
  { name: "Fenna", she: true },
  { name: "Gideon", she: false },
  { name: "Hana", she: true },
  { name: "Ilse", she: true },
  { name: "Jovan", she: false },
  { name: "Keziah", she: true },
  { name: "Lorcan", she: false },
];
export const LAST_NAMES = ["Quenby", "Okafor", "Lindqvist", "Marchetti", "Nakamura", "Oyelaran", "Pietersen", "Ruiz", "Szabo", "Thorne", "Achterberg", "Varga"];
