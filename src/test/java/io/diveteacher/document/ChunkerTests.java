package io.diveteacher.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ChunkerTests {

    private final Chunker chunker = new Chunker(new ChunkingProperties(100, 0.15));

    private List<Chunk> chunk(String seed, String... pages) {
        Iterator<PageText> pageIterator = IntStream.range(0, pages.length)
                .mapToObj(i -> new PageText(i + 1, pages[i])).iterator();
        List<Chunk> chunks = new ArrayList<>();
        chunker.chunks(seed, pageIterator).forEachRemaining(chunks::add);
        return chunks;
    }

    private static String prose(String topic, int sentences) {
        return IntStream.range(0, sentences)
                .mapToObj(i -> "The " + topic + " rule number " + i + " keeps every diver within safe limits at depth.")
                .collect(Collectors.joining(" "));
    }

    @Test
    void anEditOnOnePageChangesOnlyTheChunksNearItAndTheBoundariesAfterItResynchronise() {
        // The default bounds, and pages about as long as a manual's (some 450 tokens).
        Chunker chunker = new Chunker(new ChunkingProperties(400, 0.15));
        java.util.function.Function<String[], List<String>> chunk = pages -> {
            List<String> texts = new ArrayList<>();
            chunker.chunks("doc", IntStream.range(0, pages.length).mapToObj(i -> new PageText(i + 1, pages[i])).iterator())
                    .forEachRemaining(c -> texts.add(c.text()));
            return texts;
        };
        String[] pages = IntStream.rangeClosed(1, 40).mapToObj(p -> prose("page " + p, 30)).toArray(String[]::new);
        List<String> before = chunk.apply(pages);
        List<String> withoutPage = new ArrayList<>(Arrays.asList(pages));
        withoutPage.remove(19);
        String[] edited = pages.clone();
        edited[9] = edited[9].replace("rule number 3 ", "rule number three, as amended, ");

        Set<String> known = new HashSet<>(before);
        long newAfterDelete = chunk.apply(withoutPage.toArray(String[]::new)).stream().filter(t -> !known.contains(t)).count();
        long newAfterEdit = chunk.apply(edited).stream().filter(t -> !known.contains(t)).count();
        System.out.printf("40 pages: %d chunks; one page deleted: %d new; one sentence edited: %d new%n", before.size(),
                newAfterDelete, newAfterEdit);

        assertThat(before).hasSizeGreaterThan(40);
        assertThat(newAfterDelete).as("chunks unknown after one of 40 pages is deleted: at most 15 %%")
                .isBetween(1L, before.size() * 15L / 100);
        assertThat(newAfterEdit).as("chunks unknown after a sentence on one page is edited").isBetween(1L, 3L);
    }

    @Test
    void chunksStayWithinTheTokenBoundAndNeverCutAWord() {
        String page = prose("ascent", 20) + "\n\n" + prose("buoyancy", 15);
        Set<String> sourceWords = new HashSet<>(Arrays.asList(page.split("\\s+")));

        List<Chunk> chunks = chunk("doc", page);

        assertThat(chunks).hasSizeGreaterThan(3);
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.tokens()).isLessThanOrEqualTo(100).isEqualTo(TokenCount.of(c.text()));
            assertThat(sourceWords).containsAll(Arrays.asList(c.text().split("\\s+")));
        });
        assertThat(chunks).extracting(Chunk::position).containsExactlyElementsOf(IntStream.range(0, chunks.size()).boxed().toList());
    }

    @Test
    void eachChunkStartsWithTheLastSentenceOfThePreviousOneAsOverlap() {
        List<Chunk> chunks = chunk("doc", prose("descent", 30));

        for (int i = 1; i < chunks.size(); i++) {
            String previous = chunks.get(i - 1).text();
            String lastSentence = previous.substring(previous.lastIndexOf("The "));
            assertThat(chunks.get(i).text()).startsWith(lastSentence);
            assertThat(TokenCount.of(lastSentence)).isLessThanOrEqualTo(15);
        }
    }

    @Test
    void aHeadingIsNeverTheLastLineOfAChunk() {
        StringBuilder page = new StringBuilder();
        for (int section = 1; section <= 6; section++) {
            page.append("Section ").append(section).append(" Safety Stops\n\n").append(prose("stop", 4)).append("\n\n");
        }

        List<Chunk> chunks = chunk("doc", page.toString());

        assertThat(chunks).hasSizeGreaterThan(2).allSatisfy(c -> assertThat(c.text()).doesNotEndWith("Safety Stops"));
        assertThat(chunks.stream().filter(c -> c.text().contains("Section 4 Safety Stops")))
                .allSatisfy(c -> assertThat(c.text().substring(c.text().indexOf("Section 4 Safety Stops"))).contains("rule number 0"));
    }

    @Test
    void aChunkRunningOntoTheNextPageKnowsBothPages() {
        List<Chunk> chunks = chunk("doc", "The regulator delivers air on demand.", "The octopus is the alternate air source.");

        assertThat(chunks).hasSize(1);
        assertThat(chunks.getFirst().page()).isEqualTo(1);
        assertThat(chunks.getFirst().pageEnd()).isEqualTo(2);
        assertThat(chunks.getFirst().text()).contains("on demand.").contains("alternate air source.");
        String text = chunks.getFirst().text();
        assertThat(chunks.getFirst().pageStarts()).containsExactly(new Chunk.PageStart(0, 1),
                new Chunk.PageStart(text.indexOf("The octopus"), 2));
    }

    @Test
    void aChunkStartsOnThePageOfItsOwnTextNotOfTheOverlap() {
        // Seven sentences of 14 tokens fill the first chunk exactly; the next one starts with page 2.
        List<Chunk> chunks = chunk("doc", prose("ascent", 7), prose("buoyancy", 5));

        Chunk second = chunks.stream().filter(c -> c.text().contains("buoyancy rule number 0")).findFirst().orElseThrow();
        assertThat(second.text()).startsWith("The ascent rule number");
        assertThat(second.page()).isEqualTo(2);
        assertThat(second.pageEnd()).isEqualTo(2);
        // The overlap repeated from page 1 is on page 1; the chunk's own text on page 2.
        assertThat(second.pageStarts()).containsExactly(new Chunk.PageStart(0, 1),
                new Chunk.PageStart(second.text().indexOf("The buoyancy rule number 0"), 2));
    }

    @Test
    void wordsHyphenatedAcrossLinesAreJoined() {
        List<Chunk> chunks = chunk("doc", "Nitrogen leaves the tissues during decom-\npression stops.");

        assertThat(chunks.getFirst().text()).isEqualTo("Nitrogen leaves the tissues during decompression stops.");
    }

    @Test
    void idsAreStableForTheSameContentAndDifferForAnotherDocument() {
        String page = prose("nitrox", 12);

        List<String> first = chunk("doc-a", page).stream().map(Chunk::id).toList();
        List<String> again = chunk("doc-a", page).stream().map(Chunk::id).toList();
        List<String> other = chunk("doc-b", page).stream().map(Chunk::id).toList();

        assertThat(again).isEqualTo(first);
        assertThat(other).doesNotContainAnyElementsOf(first);
        assertThat(new HashSet<>(first)).hasSameSizeAs(first);
    }

    @Test
    void aSentenceLongerThanAChunkIsCutBetweenWords() {
        String endless = IntStream.range(0, 300).mapToObj(i -> "word" + i).collect(Collectors.joining(" ")) + ".";

        List<Chunk> chunks = chunk("doc", endless);

        assertThat(chunks).hasSizeGreaterThan(2).allSatisfy(c -> {
            assertThat(c.tokens()).isLessThanOrEqualTo(100);
            assertThat(c.text()).matches("(word\\d+ )*word\\d+\\.?");
        });
    }

    @Test
    void pagesWithoutTextGiveNoChunks() {
        assertThat(chunk("doc", "", "  \n  ")).isEmpty();
    }
}
