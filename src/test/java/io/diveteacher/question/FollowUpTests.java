package io.diveteacher.question;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.diveteacher.inference.ChatReply;
import io.diveteacher.inference.ModelChat;
import io.diveteacher.inference.ModelRuntime;
import io.diveteacher.inference.ModelSelection;

class FollowUpTests {

    private static final List<QueryRequest.Turn> NO_STOP = List.of(
            new QueryRequest.Turn("What is the no-stop limit at 18 m on a first dive?", "56 minutes [1]."));

    private final ModelRuntime models = mock(ModelRuntime.class);
    private final ModelChat chat = mock(ModelChat.class);
    private final ModelSelection selection = mock(ModelSelection.class);
    private final FollowUp followUp = new FollowUp(models, chat);

    FollowUpTests() {
        given(models.selection()).willReturn(selection);
    }

    @Test
    void withoutHistoryTheQuestionIsLeftAsItIs() {
        assertThat(followUp.standalone("And at 30 m?", List.of())).isEqualTo("And at 30 m?");
        verifyNoInteractions(chat);
    }

    @Test
    void theModelRewritesAFollowUpFromTheConversation() {
        given(selection.fallback()).willReturn(false);
        given(chat.chat(anyString(), argThat(user -> user.contains("What is the no-stop limit at 18 m on a first dive?")
                && user.contains("56 minutes") && user.contains("Last question: And at 30 m?")), anyMap(), anyInt()))
                .willReturn(new ChatReply("{\"question\": \"What is the no-stop limit at 30 m on a first dive?\"}", "stop"));

        assertThat(followUp.standalone("And at 30 m?", NO_STOP)).isEqualTo("What is the no-stop limit at 30 m on a first dive?");
    }

    @Test
    void anUnusableRewriteFallsBackToCarryingTheEarlierQuestionsWordsOver() {
        given(selection.fallback()).willReturn(false);
        given(chat.chat(anyString(), anyString(), anyMap(), eq(256))).willReturn(new ChatReply("The limit is 20 min", "stop"));

        assertThat(followUp.standalone("And at 30 m?", NO_STOP)).isEqualTo("And at 30 m? (stop limit first dive)");
    }

    @Test
    void theFallbackCarriesTheContentWordsOfTheLatestQuestionThatHasAnyButNotItsNumbers() {
        given(selection.fallback()).willReturn(true);
        List<QueryRequest.Turn> chain = List.of(NO_STOP.getFirst(), new QueryRequest.Turn("And at 30 m?", "20 minutes [1]."));

        assertThat(followUp.standalone("Et à 40 m ?", chain)).isEqualTo("Et à 40 m ? (stop limit first dive)");
        verifyNoInteractions(chat);
    }

    @Test
    void theFallbackLeavesAQuestionThatStandsOnItsOwn() {
        given(selection.fallback()).willReturn(true);

        assertThat(followUp.standalone("What is the maximum operating depth of EAN32?", NO_STOP))
                .isEqualTo("What is the maximum operating depth of EAN32?");
    }
}
