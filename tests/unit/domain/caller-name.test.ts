import { describe, expect, it } from "vitest";

import { extractCallerName, firstName, formatCallerNameMemory } from "../../../domain/caller-name";
import type { DataCollectionResult, Turn } from "../../../domain/conversation";

const user = (text: string): Turn => ({ role: "user", text, timeInCallSecs: 1 });
const agent = (text: string): Turn => ({ role: "agent", text, timeInCallSecs: 0 });
const collected = (id: string, value: DataCollectionResult["value"]): DataCollectionResult => ({ id, value, rationale: null });

describe("extractCallerName from the caller's own words", () => {
  it.each([
    ["it's … at the start of a sentence (fixture)", "Hi! Yes, it's Marisol Quenby. I called last week about the dinner booking.", "Marisol Quenby"],
    ["my name is", "My name is Sarah.", "Sarah"],
    ["my name is, mid-sentence", "Good morning, and my name is Tomás Ferreira, I have a question.", "Tomás Ferreira"],
    ["my name's", "Hello, my name's Priya.", "Priya"],
    ["lower-case speech-to-text", "my name is sarah", "Sarah"],
    ["lower-case speech-to-text keeps only the first word", "um my name is sarah connor and i need help", "Sarah"],
    ["a lower-case surname in cased text is dropped", "My name is sarah connor.", "Sarah"],
    ["all-caps speech-to-text", "MY NAME IS O'BRIEN", "O'Brien"],
    ["this is, after a greeting", "Hi, this is Dana", "Dana"],
    ["this is, with a surname and more sentence", "Hello, good morning, this is Priya Raman calling about the invoice.", "Priya Raman"],
    ["I'm", "Hi, I'm Mary-Jane O'Brien.", "Mary-Jane O'Brien"],
    ["I am", "Yes, I am Kwame.", "Kwame"],
    ["it's … here", "Hey, it's Zoë here.", "Zoë"],
    ["call me", "Please call me Ishmael.", "Ishmael"],
    ["call me, lower case with an apostrophe", "you can call me o'brien", "O'Brien"],
    ["name's", "Name's Bond. James Bond.", "Bond"],
    ["accented letters in lower case", "my name is josé", "José"],
    ["mixed-case names are kept as said", "I'm Aoife McDonald.", "Aoife McDonald"],
    ["typographic apostrophe", "Hi, I’m Siobhan O’Neill.", "Siobhan O'Neill"],
    ["a correction in a later sentence", "My name isn't Sarah. It's Sara.", "Sara"],
  ])("%s: %j → %j", (_pattern, text, expected) => {
    expect(extractCallerName({ turns: [user(text)] })).toBe(expected);
  });

  it.each([
    ["I'm calling about my booking"],
    ["I'm fine, thanks."],
    ["I'm sorry, I'm not sure."],
    ["I'm looking for a table for four."],
    ["I'm just wondering about my order."],
    ["I'm interested in the tasting menu."],
    ["Sorry, I'm new here."],
    ["Hi, I'm here about the booking."],
    ["Yes, I'm Dutch, so Sunday is fine."],
    ["this is about my booking"],
    ["This is urgent."],
    ["This is HR at the office."],
    ["It's me."],
    ["It's fine."],
    ["It's not working."],
    ["It's Monday next week."],
    ["My name is not important."],
    ["My name isn't Sarah."],
    ["What if my name is Bob?"],
    ["I'm Sarah's mum."],
    ["I'm Mary Smith's daughter."],
    ["I live in Boston and I prefer email."],
    ["User prefers email updates."],
    ["Can you call me back tomorrow?"],
    ["hi i'm sarah"],
    ["it's dana here"],
    ["I think this is Dana's account."],
    ["Hello?"],
    [""],
  ])("no name from %j", (text) => {
    expect(extractCallerName({ turns: [user(text)] })).toBeNull();
  });

  it.each([
    ["Hi, this is Alex from Acme. How can I help?"],
    ["Hello, my name is Alex and I'm your assistant."],
    ["I'm Lumen, your concierge."],
  ])("ignores the agent saying %j", (text) => {
    expect(extractCallerName({ turns: [agent(text), user("I'd like to change my booking.")] })).toBeNull();
  });

  it.each([
    ["one person named twice, the fuller form wins", ["It's Marisol.", "My name is Marisol Quenby."], "Marisol Quenby"],
    ["two different people named", ["I'm Sarah.", "Actually, I'm Tom."], null],
    ["same first name, different surnames", ["I'm Sarah Lee.", "Sorry, I'm Sarah Leigh."], "Sarah"],
  ])("%s", (_case, texts, expected) => {
    expect(extractCallerName({ turns: texts.map(user) })).toBe(expected);
  });
});

describe("extractCallerName from data collection", () => {
  it.each([
    ["caller_name", "Marisol Quenby", "Marisol Quenby"],
    ["Caller_Name", "Marisol Quenby.", "Marisol Quenby"],
    ["name", "MARISOL QUENBY", "Marisol Quenby"],
    ["first_name", "josé", "José"],
    ["name", "Ludwig van Beethoven", "Ludwig van Beethoven"],
  ])("%s = %j → %j", (id, value, expected) => {
    expect(extractCallerName({ dataCollection: [collected(id, value)] })).toBe(expected);
  });

  it.each<[string, DataCollectionResult["value"]]>([
    ["caller_name", "unknown"],
    ["caller_name", "N/A"],
    ["caller_name", "none"],
    ["caller_name", "the caller"],
    ["caller_name", "Not provided"],
    ["caller_name", ""],
    ["caller_name", "   "],
    ["caller_name", "12345"],
    ["caller_name", "Caller 3"],
    ["caller_name", "Dr. Smith"],
    ["caller_name", null],
    ["caller_name", 42],
    ["caller_name", true],
    ["booking_name", "Marisol Quenby"],
  ])("%s = %j is no name", (id, value) => {
    expect(extractCallerName({ dataCollection: [collected(id, value)] })).toBeNull();
  });

  it("prefers caller_name over name over first_name", () => {
    const dataCollection = [collected("first_name", "Mari"), collected("name", "M. Quenby"), collected("caller_name", "Marisol Quenby")];
    expect(extractCallerName({ dataCollection })).toBe("Marisol Quenby");
  });

  it("falls through a junk value to the next name field", () => {
    const dataCollection = [collected("caller_name", "unknown"), collected("first_name", "Marisol")];
    expect(extractCallerName({ dataCollection })).toBe("Marisol");
  });
});

describe("extractCallerName from memories", () => {
  it.each([
    ["The caller's name is Marisol Quenby.", "Marisol Quenby"],
    ["Caller name: Marisol Quenby", "Marisol Quenby"],
    ["caller_name: marisol quenby", "Marisol"],
    ["Caller's name is Dana.", "Dana"],
    ["Name is Priya Raman and she prefers texts", "Priya Raman"],
  ])("%j → %j", (memory, expected) => {
    expect(extractCallerName({ memories: [memory] })).toBe(expected);
  });

  it.each([
    ["User prefers email updates"],
    ["Booked a table at Rosa's on Saturday for Marisol's sister."],
    ["The caller's name is not known."],
    ["Caller name: unknown"],
    ["Name is important to her"],
    ["Caller asked whether the name is on the booking."],
  ])("no name from %j", (memory) => {
    expect(extractCallerName({ memories: [memory] })).toBeNull();
  });

  it("reads back what formatCallerNameMemory writes", () => {
    expect(extractCallerName({ memories: [formatCallerNameMemory("Mary-Jane O'Brien")] })).toBe("Mary-Jane O'Brien");
  });

  it("names nobody when memories name two different people", () => {
    expect(extractCallerName({ memories: ["The caller's name is Sarah.", "Caller name: Tom"] })).toBeNull();
  });
});

describe("extractCallerName source priority", () => {
  const dataCollection = [collected("caller_name", "Marisol Quenby")];
  const turns = [user("Hi, this is Mari.")];
  const memories = [formatCallerNameMemory("Marisol Q")];

  it.each([
    ["data collection beats turns and memories", { dataCollection, turns, memories }, "Marisol Quenby"],
    ["turns beat memories", { turns, memories }, "Mari"],
    ["memories when nothing else names the caller", { turns: [user("I'd like to book.")], memories }, "Marisol Q"],
    ["turns when data collection is junk", { dataCollection: [collected("caller_name", "N/A")], turns }, "Mari"],
    ["nothing at all", {}, null],
  ])("%s", (_case, input, expected) => {
    expect(extractCallerName(input)).toBe(expected);
  });
});

describe("formatCallerNameMemory", () => {
  it("writes the canonical sentence", () => {
    expect(formatCallerNameMemory("Marisol Quenby")).toBe("The caller's name is Marisol Quenby.");
  });
});

describe("firstName", () => {
  it.each([
    ["Marisol Quenby", "Marisol"],
    ["Mary-Jane O'Brien", "Mary-Jane"],
    ["Sarah", "Sarah"],
    ["  José  Ferreira ", "José"],
  ])("%j → %j", (name, expected) => {
    expect(firstName(name)).toBe(expected);
  });
});
