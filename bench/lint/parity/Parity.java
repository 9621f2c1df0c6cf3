import com.fasterxml.jackson.databind.*;
import dev.portcullis.lint.*;
import java.nio.file.*;
import java.util.*;
/**
 * Runs hadolint's spec cases (from cases.py) through Portcullis's linter with hadolint's default
 * configuration: a "catches" case must report the code (an ONBUILD one exactly once, as hadolint's
 * helper asks), a "catches not" case must not. Prints the agreement, then the rules below 100%
 * (or, with a second argument, every case that disagrees).
 * Usage: java -cp target/portcullis.jar Parity.java cases.json [--cases]
 */
public class Parity {
  public static void main(String[] a) throws Exception {
    JsonNode cases = new ObjectMapper().readTree(Files.readString(Path.of(a[0])));
    Linter linter = new Linter(LintPolicy.defaults());
    Map<String,int[]> per = new TreeMap<>(); int ok=0, n=0; List<String> bad = new ArrayList<>();
    boolean verbose = a.length > 1;
    for (JsonNode c : cases) {
      String code = c.get("code").asText();
      long hits = linter.lint("Dockerfile", c.get("text").asText()).stream().filter(f -> f.code().equals(code)).count();
      boolean catches = c.get("catches").asBoolean(), onbuild = c.get("onbuild").asBoolean();
      boolean pass = catches ? (onbuild ? hits == 1 : hits >= 1) : hits == 0;
      int[] p = per.computeIfAbsent(code, k -> new int[2]); p[1]++; n++;
      if (pass) { p[0]++; ok++; } else bad.add(code + " " + (catches ? "MISSED" : "FALSE+") + (onbuild?" onbuild":"") + " [" + c.get("it").asText() + "] " + c.get("text").asText().replace("\n","⏎"));
    }
    System.out.printf("agreement %d/%d = %.1f%%%n", ok, n, 100.0*ok/n);
    if (verbose) { bad.forEach(System.out::println); }
    else per.forEach((k,v) -> { if (v[0]<v[1]) System.out.println(k+" "+v[0]+"/"+v[1]); });
  }
}
