// The language of a call whose event names none, from what the caller said.
import { describe, expect, it } from "vitest";
import { identifyLanguage } from "../../../adapters/inbound/elevenlabs/language-identification";

describe("identifyLanguage", () => {
  it.each([
    ["en", "Hi, yes, I wanted to move my dinner booking to Saturday evening, and my sister will be joining us this time."],
    ["es", "Hola, buenas tardes, quería cambiar mi reserva para el sábado por la noche porque mi hermana viene con nosotros."],
    ["fr", "Bonjour, je voudrais déplacer ma réservation à samedi soir, ma sœur va se joindre à nous cette fois-ci."],
    ["de", "Guten Tag, ich möchte meine Reservierung auf Samstagabend verschieben, meine Schwester kommt diesmal auch mit."],
    ["it", "Buongiorno, vorrei spostare la mia prenotazione a sabato sera, questa volta viene anche mia sorella."],
    ["pt", "Olá, boa tarde, queria mudar a minha reserva para sábado à noite, porque a minha irmã também vem desta vez."],
    ["nl", "Goedemiddag, ik wil graag mijn reservering verzetten naar zaterdagavond, mijn zus komt deze keer ook mee."],
    ["pl", "Dzień dobry, chciałabym przenieść moją rezerwację na sobotę wieczorem, bo tym razem przyjdzie też moja siostra."],
  ])("knows %s from a caller's turns", (language, text) => {
    expect(identifyLanguage(text)).toBe(language);
  });

  it("says nothing from too little text", () => {
    expect(identifyLanguage("Sí, vale, gracias.")).toBeNull();
    expect(identifyLanguage("")).toBeNull();
  });
});
