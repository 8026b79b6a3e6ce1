package io.diveteacher.web;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * The pages' language: English or French, from the browser's {@code Accept-Language} until the visitor picks one
 * ({@code ?lang=fr} on any page), which a cookie then remembers for a year.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    static final List<Locale> LANGUAGES = List.of(Locale.ENGLISH, Locale.FRENCH);
    static final String LANGUAGE_PARAMETER = "lang";

    @Bean
    LocaleResolver localeResolver() {
        CookieLocaleResolver resolver = new CookieLocaleResolver("diveteacher-lang");
        resolver.setCookieMaxAge(Duration.ofDays(365));
        resolver.setDefaultLocaleFunction(WebConfiguration::fromBrowser);
        return resolver;
    }

    /** The first language of the browser's list that the pages speak; English when none. */
    static Locale fromBrowser(HttpServletRequest request) {
        var languages = request.getLocales();
        while (languages.hasMoreElements()) {
            String language = languages.nextElement().getLanguage();
            for (Locale supported : LANGUAGES) {
                if (supported.getLanguage().equals(language)) {
                    return supported;
                }
            }
        }
        return Locale.ENGLISH;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new LanguageChange());
    }

    /** Takes {@code ?lang=} when it is a language the pages speak, and ignores it otherwise. */
    private static final class LanguageChange extends LocaleChangeInterceptor {

        LanguageChange() {
            setParamName(LANGUAGE_PARAMETER);
            setIgnoreInvalidLocale(true);
        }

        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                throws ServletException {
            String lang = request.getParameter(LANGUAGE_PARAMETER);
            if (lang == null || LANGUAGES.stream().anyMatch(l -> l.getLanguage().equals(lang))) {
                return super.preHandle(request, response, handler);
            }
            return true;
        }
    }
}
