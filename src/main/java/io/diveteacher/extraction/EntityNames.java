package io.diveteacher.extraction;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.diveteacher.document.SourceFile;

/**
 * Entity identity: names are normalised (Unicode, case, whitespace, surrounding punctuation, plural of
 * the last word) so "Safety stops" and "safety stop" from two chunks are one node.
 */
public final class EntityNames {

    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern EDGE_PUNCTUATION = Pattern.compile("^[\\p{Punct}\\s]+|[\\p{Punct}\\s&&[^)%+]]+$");
    private static final Map<String, String> IRREGULAR = Map.of("gases", "gas", "lungs", "lung", "sinuses", "sinus",
            "feet", "foot", "criteria", "criterion", "phenomena", "phenomenon");

    private EntityNames() {
    }

    /** Display form: trimmed, whitespace collapsed, at most 120 characters; null when nothing is left. */
    public static String clean(String name) {
        if (name == null) {
            return null;
        }
        String cleaned = SPACES.matcher(Normalizer.normalize(name, Normalizer.Form.NFKC)).replaceAll(" ");
        cleaned = EDGE_PUNCTUATION.matcher(cleaned).replaceAll("");
        cleaned = cleaned.chars().anyMatch(Character::isISOControl) ? cleaned.replaceAll("\\p{Cntrl}", "") : cleaned;
        if (cleaned.isBlank() || cleaned.length() > 120) {
            return null;
        }
        return cleaned;
    }

    /** The comparison key of a cleaned name. */
    public static String key(String cleanName) {
        String[] words = cleanName.split(" ");
        String last = words[words.length - 1];
        words[words.length - 1] = singular(last);
        return String.join(" ", words).toLowerCase(Locale.ROOT).replace('‐', '-');
    }

    public static String id(String cleanName, String type) {
        return SourceFile.hash(type + "|" + key(cleanName));
    }

    private static String singular(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        if (IRREGULAR.containsKey(lower)) {
            return IRREGULAR.get(lower);
        }
        // Acronyms ("DCS", "BCDs" excepted) and short words keep their s.
        boolean acronym = word.length() > 1 && word.substring(0, word.length() - 1).chars().allMatch(Character::isUpperCase);
        if (acronym && word.endsWith("s") && word.length() > 2) {
            return word.substring(0, word.length() - 1);
        }
        if (acronym || word.length() <= 3 || !lower.chars().allMatch(Character::isLetter)) {
            return word;
        }
        if (lower.endsWith("ies") && lower.length() > 4) {
            return word.substring(0, word.length() - 3) + "y";
        }
        if (lower.endsWith("sses") || lower.endsWith("ches") || lower.endsWith("shes") || lower.endsWith("xes")) {
            return word.substring(0, word.length() - 2);
        }
        if (lower.endsWith("s") && !lower.endsWith("ss") && !lower.endsWith("us") && !lower.endsWith("is")) {
            return word.substring(0, word.length() - 1);
        }
        return word;
    }
}
