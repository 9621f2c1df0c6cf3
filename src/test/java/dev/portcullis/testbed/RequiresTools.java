package dev.portcullis.testbed;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The real tools a test class drives; when one is not on the PATH, every test of the class is reported
 * skipped with the names of the missing tools. (An assumption in {@code @BeforeAll} aborts the class
 * instead, and Surefire then counts none of its tests: they vanished from the total.)
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresTools.Condition.class)
public @interface RequiresTools {
    /** Executables looked up on the PATH, e.g. {@code "skopeo"}. */
    String[] value();

    /** Enables the class or method only when all its tools are installed. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getElement().flatMap(e -> AnnotationSupport.findAnnotation(e, RequiresTools.class))
                    .map(a -> {
                        List<String> missing = Arrays.stream(a.value()).filter(t -> !Processes.onPath(t)).toList();
                        return missing.isEmpty() ? ConditionEvaluationResult.enabled("tools installed")
                                : ConditionEvaluationResult.disabled("not installed: " + String.join(", ", missing)
                                        + " (.ci/run installs the tools the end-to-end tests drive)");
                    })
                    .orElse(ConditionEvaluationResult.enabled("no tools required"));
        }
    }
}
