package io.callstream.enrichment.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LanguageDetectionTest {
  private final LanguageDetection languages = LanguageDetection.get();

  @Test
  void tellsTheLanguagesOfCallsApart() {
    assertThat(
            languages.of(
                "Thanks for calling Acme Appliances. My new blender stopped working after two days"
                    + " and I would like my money back, please."))
        .isEqualTo("en");
    assertThat(
            languages.of(
                "Gracias por llamar. Mi lavadora nueva dejó de funcionar después de dos días y"
                    + " quiero que me devuelvan el dinero, por favor."))
        .isEqualTo("es");
    assertThat(
            languages.of(
                "Vielen Dank für Ihren Anruf. Meine neue Waschmaschine funktioniert seit zwei"
                    + " Tagen nicht mehr und ich möchte mein Geld zurück."))
        .isEqualTo("de");
    assertThat(
            languages.of(
                "Merci de votre appel. Mon nouveau lave-linge ne fonctionne plus depuis deux jours"
                    + " et je voudrais être remboursé, s'il vous plaît."))
        .isEqualTo("fr");
    assertThat(
            languages.of(
                "Obrigado por ligar. A minha máquina de lavar nova deixou de funcionar depois de"
                    + " dois dias e eu gostaria de receber o meu dinheiro de volta."))
        .isEqualTo("pt");
  }

  @Test
  void saysNothingWhenItCannotTell() {
    assertThat(languages.of(null)).isNull();
    assertThat(languages.of("   ")).isNull();
    assertThat(languages.of("12345 67890")).isNull();
  }
}
