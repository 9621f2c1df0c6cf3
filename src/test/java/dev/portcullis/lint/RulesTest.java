package dev.portcullis.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One hit and one miss (at least) per rule, as hadolint's own tests pair them. */
class RulesTest {
    private static final LintPolicy POLICY = new LintPolicy(Set.of(), List.of("docker.io", "ghcr.io"),
            Map.of("DL3057", Severity.INFO), Severity.INFO, Map.of("maintainer", "text"), false,
            List.of("docker.io/library/*", "ghcr.io/acme/*"), false, List.of("org.opencontainers.image.source"),
            LintPolicy.DEFAULT_SECRET_NAMES);

    private static boolean reports(String code, String dockerfile) {
        return new Linter(POLICY).lint("Dockerfile", dockerfile.replace("\\n", "\n")).stream()
                .anyMatch(f -> f.code().equals(code));
    }

    @ParameterizedTest(name = "[{index}] {0} {2}: {1}")
    @CsvSource(delimiter = '~', value = {
            "DL3004 ~ FROM a:1\\nRUN gosu app make ~ false",
            // DL3013 as hadolint reads pip: pip2/pip3.x and python -m pip, flags that take a value, VCS revisions, local paths.
            "DL3013 ~ FROM a:1\\nRUN pip2 install MySQL_python ~ true",
            "DL3013 ~ FROM a:1\\nRUN python -m pip install requests ~ true",
            "DL3013 ~ FROM a:1\\nRUN python3 -m pip install requests==2.31 ~ false",
            "DL3013 ~ FROM a:1\\nRUN pip install git+https://github.com/a/b ~ true",
            "DL3013 ~ FROM a:1\\nRUN pip install git+https://github.com/a/b@v1.0 ~ false",
            "DL3013 ~ FROM a:1\\nRUN pip install --trusted-host pypi.example.com requests==2.31 ~ false",
            "DL3013 ~ FROM a:1\\nRUN pip install --index-url https://x/simple requests ~ true",
            "DL3013 ~ FROM a:1\\nRUN pip install -r requirements.txt ~ false",
            "DL3013 ~ FROM a:1\\nRUN pip install . ~ false",
            "DL3013 ~ FROM a:1\\nRUN pip install -c constraints.txt requests ~ false",
            "DL3013 ~ FROM a:1\\nRUN pip install ./local/pkg ~ false",
            "DL3013 ~ FROM a:1\\nRUN pipenv install requests ~ false",
            "DL3013 ~ FROM a:1\\nONBUILD RUN pip install requests ~ true",
            // hadolint judges ONBUILD RUN triggers with most of its RUN rules (not DL3003 or DL3059).
            "DL3004 ~ FROM a:1\\nONBUILD RUN sudo apt-get update ~ true",
            "DL3008 ~ FROM a:1\\nONBUILD RUN apt-get install -y --no-install-recommends python ~ true",
            "DL3014 ~ FROM a:1\\nONBUILD RUN apt-get install python=3 ~ true",
            "DL3001 ~ FROM a:1\\nONBUILD RUN ssh host ~ true",
            "DL4001 ~ FROM a:1\\nRUN wget https://x/y\\nONBUILD RUN curl https://x/y ~ false",
            "DL4001 ~ FROM a:1\\nONBUILD RUN wget https://x/y\\nONBUILD RUN curl https://x/y ~ true",
            "DL4001 ~ FROM a:1 AS x\\nRUN wget https://x/y\\nFROM b:1\\nRUN curl https://x/y ~ false",
            "DL3004 ~ FROM a:1\\nRUN apt-get install -y sudo=1 ~ false",
            "DL3020 ~ FROM a:1\\nADD file.zip /usr/src/app/ ~ true",
            "DL3020 ~ FROM a:1\\nADD \"file.tgz\" /usr/src/app/ ~ false",
            "DL3038 ~ FROM a:1\\nRUN microdnf install httpd-2.4.24 && microdnf clean all ~ true",
            "DL3003 ~ FROM a:1\\nONBUILD RUN cd /x ~ false",
            "DL3012 ~ FROM a:1\\nHEALTHCHECK CMD true\\nFROM b:1\\nHEALTHCHECK CMD true ~ false",
            "DL3015 ~ FROM a:1\\nRUN apt-get install -y --no-install-recommends c=1 ~ false",
            "DL3019 ~ FROM a:1\\nRUN apk add --no-cache curl=8.5.0-r0 ~ false",
            "DL3023 ~ FROM a:1 AS build\\nFROM b:1 AS run\\nCOPY --from=build /x /x ~ false",
            "DL3024 ~ FROM a:1 AS x\\nFROM b:1 AS y ~ false",
            "DL3027 ~ FROM a:1\\nRUN apt-get install -y c=1 ~ false",
            "DL3030 ~ FROM a:1\\nRUN yum install -y httpd-2.4 && yum clean all ~ false",
            "DL3034 ~ FROM a:1\\nRUN zypper install -y httpd=2.4 && zypper clean ~ false",
            "DL3035 ~ FROM a:1\\nRUN zypper install -y httpd=2.4 && zypper clean ~ false",
            "DL3036 ~ FROM a:1\\nRUN zypper install -y httpd=2.4 && zypper clean ~ false",
            "DL3038 ~ FROM a:1\\nRUN dnf install -y httpd-2.4 && dnf clean all ~ false",
            "DL3040 ~ FROM a:1\\nRUN dnf install -y httpd-2.4 && dnf clean all ~ false",
            "DL3042 ~ FROM a:1\\nRUN pip install --no-cache-dir x==1 ~ false",
            "DL3047 ~ FROM a:1\\nRUN wget --progress=dot:giga https://x/y ~ false",
            "DL4000 ~ FROM a:1\\nLABEL maintainer=me ~ false",
            "DL4001 ~ FROM a:1\\nRUN curl -f x\\nRUN curl -f y ~ false",
            "DL4004 ~ FROM a:1\\nENTRYPOINT [\"a\"]\\nFROM b:1\\nENTRYPOINT [\"b\"] ~ false",
            "DL4005 ~ FROM a:1\\nRUN ln -sf /usr/bin/python3 /usr/bin/python ~ false",
            "DL3026 ~ FROM scratch ~ false",
            "DL3001 ~ FROM a:1\\nRUN make install ~ false",
            "DL3011 ~ FROM a:1\\nEXPOSE 65535 ~ false",
            "DL3020 ~ FROM a:1\\nCOPY app.py /app/ ~ false",
            "DL3021 ~ FROM a:1\\nCOPY a /dir ~ false",
            "DL3014 ~ FROM a:1\\nRUN apt-get install --yes c=1 ~ false",
            "DL3016 ~ FROM a:1\\nRUN npm install ~ false",
            "DL3018 ~ FROM a:1\\nRUN apk add --no-cache ./local.apk ~ false",
            "DL3059 ~ FROM a:1\\nRUN a\\n# why\\nRUN b ~ true",
            "DL3059 ~ FROM a:1\\nRUN a && b\\nRUN c ~ false",
            "DL3059 ~ FROM a:1\\nRUN --mount=type=cache,target=/x a\\nRUN b ~ false",
            "DL3059 ~ FROM a:1\\nRUN --mount=type=cache,target=/x a\\nRUN --mount=type=cache,target=/x b ~ true",
            "DL3014 ~ FROM a:1\\nRUN apt-get install -q -q python=3 ~ false",
            "DL3014 ~ FROM a:1\\nRUN apt-get install -q python=3 ~ true",
            "DL3047 ~ FROM a:1\\nRUN wget -o /tmp/wget.log https://x/y ~ false",
            "DL3047 ~ FROM a:1\\nRUN wget -O /tmp/y https://x/y ~ true",
            "DL3018 ~ FROM a:1\\nRUN apk add --no-cache git>2.52.0 ~ false",
            "DL3018 ~ FROM a:1\\nRUN apk add --virtual build-deps gcc=13 ~ false",
            "DL3018 ~ FROM a:1\\nRUN apk add -X https://x/edge/testing flow ~ true",
            // DL3009 as hadolint: an update without rm -rf, only in a stage that reaches an image, cache mounts count.
            "DL3009 ~ FROM a:1\\nRUN apt-get update && apt-get install -y x=1 ~ true",
            "DL3009 ~ FROM a:1\\nRUN apt update && apt install -y x=1 ~ true",
            "DL3009 ~ FROM a:1\\nRUN apt-get update && apt-get install -y x=1 && rm -rf /var/lib/apt/lists/* ~ false",
            "DL3009 ~ FROM a:1 AS build\\nRUN apt-get update && apt-get install -y x=1\\nFROM b:1\\nCOPY --from=build /x /x ~ false",
            "DL3009 ~ FROM a:1 AS base\\nRUN apt-get update && apt-get install -y x=1\\nFROM base\\nRUN y ~ true",
            "DL3009 ~ FROM a:1\\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update ~ false",
            "DL3009 ~ FROM a:1\\nRUN --mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt apt-get update ~ false",
            "DL3009 ~ FROM a:1\\nRUN --mount=type=cache,target=/var/cache/apt apt-get update ~ true",
            // Without FROM, as hadolint pretends: a stage on scratch.
            "DL3045 ~ COPY a b ~ true",
            "DL3010 ~ FROM a:1\\nCOPY foo/bar/app.tar /app.tar\\nRUN tar -xf /app.tar ~ true",
            "DL3010 ~ FROM a:1\\nCOPY app.tar.gz /opt/\\nRUN cd /opt && gunzip app.tar.gz ~ true",
            "DL3010 ~ FROM a:1 AS b\\nFROM c:1\\nCOPY --from=b /app.tar /app.tar\\nRUN tar -xf /app.tar ~ false",
            "DL3010 ~ FROM a:1\\nCOPY app.tar /app.tar\\nFROM b:1\\nRUN tar -xf /app.tar ~ false",
            "DL3060 ~ FROM a:1\\nRUN yarn install && yarn cache clean ~ false",
            "DL3060 ~ FROM a:1\\nRUN yarn cache clean && yarn install ~ true",
            "DL3060 ~ FROM a:1\\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install ~ false",
            "DL3060 ~ FROM a:1 AS build\\nRUN yarn install\\nFROM b:1\\nCOPY --from=build /x /x ~ false",
            "DL3063 ~ FROM foo:1 AS scratch ~ true",
            "DL3063 ~ FROM foo:1 AS build ~ false",
            "DL3064 ~ FROM a:1\\nARG GITHUB_TOKEN ~ true",
            "DL3064 ~ FROM a:1\\nENV DB_PASSWORD=x ~ true",
            "DL3064 ~ FROM a:1\\nENV VERSION=1 ~ false",
            "DL3065 ~ FROM --platform=$TARGETPLATFORM a:1 ~ true",
            "DL3065 ~ FROM --platform=$BUILDPLATFORM a:1 ~ false",
            "DL3066 ~ FROM a:1\\nUSER app ~ true",
            "DL3066 ~ FROM a:1\\nUSER 1000:1000 ~ false",
            "DL3066 ~ FROM a:1\\nARG UID=1000\\nUSER ${UID} ~ false",
            "DL3067 ~ FROM a:1 AS b\\nFROM c:1\\nCOPY --from=b / / ~ true",
            "DL3067 ~ FROM a:1 AS b\\nFROM c:1\\nCOPY --from=b /app / ~ false",
            "DL3041 ~ FROM a:1\\nRUN microdnf install -y rpm-sign && microdnf clean all ~ true",
            "DL3041 ~ FROM a:1\\nRUN dnf module install -y nodejs:18 && dnf clean all ~ false",
            "DL3041 ~ FROM a:1\\nRUN dnf -y group install Tools ~ false",
            "DL3033 ~ FROM a:1\\nRUN yum module install -y tomcat && yum clean all ~ true",
            // hadolint: the clean-up must come after the install, in the same RUN.
            "DL3032 ~ FROM a:1\\nRUN rm -rf /var/cache/yum && yum install -y x-1 ~ true",
            "DL3032 ~ FROM a:1\\nRUN yum install -y x-1 && rm -rf /var/cache/yum/* ~ false",
            "DL3040 ~ FROM a:1\\nRUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y x-1 ~ false",
            "DL3040 ~ FROM a:1\\nRUN microdnf install -y x-1 ~ true",
            "DL3036 ~ FROM a:1\\nRUN zypper clean && zypper install -y x=1 ~ true",
            "DL3062 ~ FROM a:1\\nRUN go install example.com/pkg@latest ~ true",
            "DL3062 ~ FROM a:1\\nRUN go install ./cmd/app ~ false",
            "DL3062 ~ FROM a:1\\nRUN go get example.com/pkg ~ true",
            "DL3016 ~ FROM a:1\\nRUN npm install --loglevel verbose sax@0.1.1 ~ false",
            "DL3016 ~ FROM a:1\\nRUN npm install git+https://github.com/npm/npm.git ~ true",
            "DL3016 ~ FROM a:1\\nRUN npm install @scope/pkg ~ true",
            "DL3016 ~ FROM a:1\\nRUN npm install @scope/pkg@1.2.3 ~ false",
            "DL3028 ~ FROM a:1\\nRUN gem i bundler ~ true",
            "DL3028 ~ FROM a:1\\nRUN gem install bundler:2.0.1 -- --use-system-libraries true ~ false",
            "DL3046 ~ FROM a:1\\nRUN useradd -u 1000 app ~ false",
            "DL3048 ~ FROM a:1\\nLABEL a.b-c=x ~ false",
            "DL3060 ~ FROM a:1\\nRUN npm ci ~ false",
            "DL4006 ~ FROM a:1\\nRUN set -o pipefail && curl -f x | tar -x ~ false",
            "PC1002 ~ FROM a:1 ~ false",
            "DL3010 ~ FROM a:1\\nCOPY app.tar.gz /tmp/\\nRUN tar -xzf /tmp/app.tar.gz ~ true",
            "DL3010 ~ FROM a:1\\nCOPY app.tar.gz /tmp/\\nRUN sha256sum /tmp/app.tar.gz ~ false",
            "DL3033 ~ FROM a:1\\nRUN yum install -y httpd && yum clean all ~ true",
            "DL3033 ~ FROM a:1\\nRUN yum install -y httpd-2.4.6 && yum clean all ~ false",
            "DL3035 ~ FROM a:1\\nRUN zypper dist-upgrade -y ~ true",
            "DL3037 ~ FROM a:1\\nRUN zypper install -y httpd && zypper clean ~ true",
            "DL3037 ~ FROM a:1\\nRUN zypper install -y httpd=2.4 && zypper clean ~ false",
            "DL3041 ~ FROM a:1\\nRUN dnf install -y httpd && dnf clean all ~ true",
            "DL3041 ~ FROM a:1\\nRUN dnf install -y httpd-2.4.57 && dnf clean all ~ false",
            "DL3043 ~ FROM a:1\\nONBUILD ONBUILD RUN x ~ true",
            "DL3043 ~ FROM a:1\\nONBUILD RUN x ~ false",
            "DL3062 ~ FROM a:1\\nRUN go install example.com/tool ~ true",
            "DL3062 ~ FROM a:1\\nRUN go install example.com/tool@v1.2.3 ~ false",
            "DL3000 ~ FROM a:1\\nWORKDIR app                                  ~ true",
            "DL3000 ~ FROM a:1\\nWORKDIR /app                                 ~ false",
            "DL3000 ~ FROM a:1\\nWORKDIR $HOME                                ~ false",
            "DL3002 ~ FROM a:1\\nUSER app\\nUSER root                         ~ true",
            // hadolint judges every stage's last USER: a builder that ends as root is reported too.
            "DL3002 ~ FROM a:1 AS b\\nUSER root\\nFROM a:1\\nUSER app           ~ true",
            "DL3002 ~ FROM a:1 AS b\\nUSER root\\nRUN x\\nFROM b\\nRUN y          ~ true",
            "DL3002 ~ FROM a:1 AS b\\nUSER root\\nUSER app\\nFROM scratch\\nRUN y ~ false",
            "DL3006 ~ FROM debian                                           ~ true",
            "DL3006 ~ FROM debian:12                                        ~ false",
            "DL3006 ~ FROM a:1 AS build\\nFROM build                        ~ false",
            "DL3006 ~ FROM scratch                                          ~ false",
            "DL3007 ~ FROM debian:latest                                    ~ true",
            "DL3007 ~ FROM debian:latest@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ~ false",
            "DL3011 ~ FROM a:1\\nEXPOSE 80 70000                              ~ true",
            "DL3011 ~ FROM a:1\\nEXPOSE 80/tcp 8000-8010                      ~ false",
            "DL3012 ~ FROM a:1\\nHEALTHCHECK NONE\\nHEALTHCHECK CMD true        ~ true",
            "DL3020 ~ FROM a:1\\nADD app.py /app/                             ~ true",
            "DL3020 ~ FROM a:1\\nADD rootfs.tar.gz /                          ~ false",
            "DL3021 ~ FROM a:1\\nCOPY a b /dir                                 ~ true",
            "DL3021 ~ FROM a:1\\nCOPY a b /dir/                                ~ false",
            "DL3022 ~ FROM a:1\\nCOPY --from=builder /x /x                     ~ true",
            "DL3022 ~ FROM a:1 AS builder\\nFROM b:1\\nCOPY --from=builder /x /x ~ false",
            "DL3022 ~ FROM a:1\\nCOPY --from=nginx:1.25 /x /x                  ~ false",
            "DL3023 ~ FROM a:1 AS me\\nCOPY --from=me /x /x                     ~ true",
            "DL3024 ~ FROM a:1 AS x\\nFROM b:1 AS x                           ~ true",
            "DL3025 ~ FROM a:1\\nCMD nginx -g 'daemon off;'                   ~ true",
            "DL3025 ~ FROM a:1\\nCMD [\"nginx\"]                               ~ false",
            "DL3026 ~ FROM quay.io/x/y:1                                    ~ true",
            "DL3026 ~ FROM ghcr.io/acme/y:1                                 ~ false",
            "DL3029 ~ FROM --platform=linux/amd64 a:1                       ~ true",
            "DL3029 ~ FROM --platform=$BUILDPLATFORM a:1                    ~ false",
            "DL3044 ~ FROM a:1\\nENV A=1 B=$A                                ~ true",
            "DL3044 ~ FROM a:1\\nENV A=1\\nENV B=$A                          ~ false",
            "DL3045 ~ FROM a:1\\nCOPY a.txt b/                               ~ true",
            "DL3045 ~ FROM a:1\\nWORKDIR /w\\nCOPY a.txt b/                  ~ false",
            "DL3048 ~ FROM a:1\\nLABEL Invalid_Key=x                         ~ true",
            "DL3048 ~ FROM a:1\\nLABEL org.opencontainers.image.title=x      ~ false",
            "DL3049 ~ FROM a:1                                              ~ true",
            "DL3049 ~ FROM a:1\\nLABEL maintainer=me                         ~ false",
            "DL3057 ~ FROM a:1                                              ~ true",
            "DL3057 ~ FROM a:1\\nHEALTHCHECK CMD curl -f localhost           ~ false",
            "DL3061 ~ RUN x\\nFROM a:1                                      ~ true",
            "DL3061 ~ ARG V=1\\nFROM a:$V                                   ~ false",
            "DL4000 ~ FROM a:1\\nMAINTAINER me                               ~ true",
            "DL4003 ~ FROM a:1\\nCMD [\"a\"]\\nCMD [\"b\"]                  ~ true",
            "DL4003 ~ FROM a:1\\nCMD [\"a\"]\\nFROM b:1\\nCMD [\"b\"]       ~ false",
            "DL4004 ~ FROM a:1\\nENTRYPOINT [\"a\"]\\nENTRYPOINT [\"b\"]    ~ true",
            "DL3001 ~ FROM a:1\\nRUN service nginx start                     ~ true",
            "DL3001 ~ FROM a:1\\nRUN echo service                            ~ false",
            "DL3003 ~ FROM a:1\\nRUN cd /tmp && make                         ~ true",
            "DL3003 ~ FROM a:1\\nRUN make -C /tmp                            ~ false",
            "DL3004 ~ FROM a:1\\nRUN sudo apt-get update                     ~ true",
            "DL3008 ~ FROM a:1\\nRUN apt-get install -y --no-install-recommends curl ~ true",
            "DL3008 ~ FROM a:1\\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10 ~ false",
            "DL3009 ~ FROM a:1\\nRUN apt-get update && apt-get install -y --no-install-recommends c=1 ~ true",
            "DL3009 ~ FROM a:1\\nRUN apt-get install -y --no-install-recommends c=1 && rm -rf /var/lib/apt/lists/* ~ false",
            "DL3013 ~ FROM a:1\\nRUN pip install --no-cache-dir requests        ~ true",
            "DL3013 ~ FROM a:1\\nRUN pip install --no-cache-dir requests==2.31  ~ false",
            "DL3013 ~ FROM a:1\\nRUN pip install --no-cache-dir -r req.txt      ~ false",
            "DL3014 ~ FROM a:1\\nRUN apt-get install c=1                      ~ true",
            "DL3014 ~ FROM a:1\\nRUN apt-get -qq install c=1                  ~ false",
            "DL3015 ~ FROM a:1\\nRUN apt-get install -y c=1                   ~ true",
            "DL3016 ~ FROM a:1\\nRUN npm install express                      ~ true",
            "DL3016 ~ FROM a:1\\nRUN npm install express@4.19.2 @scope/p@1.0.0 ~ false",
            "DL3018 ~ FROM a:1\\nRUN apk add --no-cache curl                  ~ true",
            "DL3018 ~ FROM a:1\\nRUN apk add --no-cache curl=8.5.0-r0         ~ false",
            "DL3019 ~ FROM a:1\\nRUN apk add curl=8.5.0-r0                    ~ true",
            "DL3027 ~ FROM a:1\\nRUN apt install curl                         ~ true",
            "DL3028 ~ FROM a:1\\nRUN gem install bundler                      ~ true",
            "DL3028 ~ FROM a:1\\nRUN gem install bundler:2.5.6                ~ false",
            "DL3030 ~ FROM a:1\\nRUN yum install httpd && yum clean all       ~ true",
            "DL3032 ~ FROM a:1\\nRUN yum install -y httpd                     ~ true",
            "DL3032 ~ FROM a:1\\nRUN yum install -y httpd && yum clean all    ~ false",
            "DL3034 ~ FROM a:1\\nRUN zypper install httpd && zypper clean     ~ true",
            "DL3036 ~ FROM a:1\\nRUN zypper install -y httpd                  ~ true",
            "DL3038 ~ FROM a:1\\nRUN dnf install httpd && dnf clean all       ~ true",
            "DL3040 ~ FROM a:1\\nRUN dnf install -y httpd                     ~ true",
            "DL3042 ~ FROM a:1\\nRUN pip install x==1                         ~ true",
            "DL3046 ~ FROM a:1\\nRUN useradd -u 123456789 app                 ~ true",
            "DL3046 ~ FROM a:1\\nRUN useradd -l -u 123456789 app              ~ false",
            "DL3047 ~ FROM a:1\\nRUN wget https://x/y                         ~ true",
            "DL3047 ~ FROM a:1\\nRUN wget -q https://x/y                      ~ false",
            "DL3059 ~ FROM a:1\\nRUN a\\nRUN b                              ~ true",
            "DL3059 ~ FROM a:1\\nRUN a\\nUSER x\\nRUN b                     ~ false",
            "DL3060 ~ FROM a:1\\nRUN yarn install                             ~ true",
            "DL3060 ~ FROM a:1\\nRUN yarn install && yarn cache clean         ~ false",
            "DL4001 ~ FROM a:1\\nRUN wget -q x\\nRUN curl -f y               ~ true",
            "DL4005 ~ FROM a:1\\nRUN ln -sf /bin/bash /bin/sh                 ~ true",
            "DL4006 ~ FROM a:1\\nRUN curl -f x | tar -x                       ~ true",
            "DL4006 ~ FROM a:1\\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\\nRUN curl -f x | tar -x ~ false",
            "PC1001 ~ FROM quay.io/evil/base:1                              ~ true",
            "PC1001 ~ FROM python:3.12                                      ~ false",
            "PC1003 ~ FROM a:1                                              ~ true",
            "PC1003 ~ FROM a:1\\nUSER 1000                                  ~ false",
            "PC1004 ~ FROM a:1\\nENV DB_PASSWORD=hunter2                     ~ true",
            "PC1004 ~ FROM a:1\\nARG GITHUB_TOKEN=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ~ true",
            "PC1004 ~ FROM a:1\\nENV AWS_KEY_ID=AKIAABCDEFGHIJKLMNOP                 ~ true",
            "PC1004 ~ FROM a:1\\nARG NPM_TOKEN                              ~ false",
            "PC1004 ~ FROM a:1\\nENV PASSWORD_FILE=$SECRET_PATH               ~ false",
            "PC1005 ~ FROM a:1\\nADD https://x/y.tar.gz /opt/                ~ true",
            "PC1005 ~ FROM a:1\\nADD y.tar.gz /opt/                           ~ false",
            "PC1006 ~ FROM a:1\\nRUN curl -fsSL https://x/install.sh | sh     ~ true",
            "PC1006 ~ FROM a:1\\nRUN curl -fsSL https://x/a.tgz | tar -xz      ~ false",
            "PC1007 ~ FROM a:1                                              ~ true",
            "PC1007 ~ FROM a:1\\nLABEL org.opencontainers.image.source=https://x ~ false",
    })
    void rule_table_hitsAndMisses(String code, String dockerfile, boolean hit) {
        assertThat(reports(code.trim(), dockerfile.trim())).isEqualTo(hit);
    }

    private static final LintPolicy LABELS = new LintPolicy(Set.of(), List.of(), Map.of("DL1001", Severity.INFO), Severity.INFO,
            Map.of("url", "url", "created", "rfc3339", "license", "spdx", "rev", "hash", "version", "semver",
                    "owner", "email", "title", "text"), true, List.of(), false, List.of(), LintPolicy.DEFAULT_SECRET_NAMES);

    @ParameterizedTest(name = "[{index}] {0} {2}: {1}")
    @CsvSource(delimiter = '~', value = {
            "DL3050 ~ LABEL other=x ~ true",
            "DL3050 ~ LABEL title=x ~ false",
            "DL3051 ~ LABEL title=\"\" ~ true",
            "DL3052 ~ LABEL url=not-a-url ~ true",
            "DL3052 ~ LABEL url=https://example.com/x ~ false",
            "DL3053 ~ LABEL created=yesterday ~ true",
            "DL3053 ~ LABEL created=2026-11-24T12:00:00Z ~ false",
            "DL3054 ~ LABEL license=Proprietary-Thing ~ true",
            "DL3054 ~ LABEL license=\"Apache-2.0 OR MIT\" ~ false",
            "DL3055 ~ LABEL rev=xyz ~ true",
            "DL3055 ~ LABEL rev=0a1b2c3d4e5f60718293a4b5c6d7e8f901234567 ~ false",
            "DL3056 ~ LABEL version=1.2 ~ true",
            "DL3056 ~ LABEL version=1.2.3-rc.1+build.5 ~ false",
            "DL3058 ~ LABEL owner=nobody ~ true",
            "DL3058 ~ LABEL owner=team@example.com ~ false",
    })
    void labelSchema_table_hitsAndMisses(String code, String label, boolean hit) {
        boolean found = new Linter(LABELS).lint("D", "FROM a:1\n" + label.trim() + "\n").stream()
                .anyMatch(f -> f.code().equals(code.trim()));
        assertThat(found).isEqualTo(hit);
    }

    @Test
    void requireDigest_tagOnlyBase_isPc1002AndDigestPinnedIsNot() {
        LintPolicy pin = new LintPolicy(Set.of(), List.of(), Map.of(), Severity.INFO, Map.of(), false, List.of(), true, List.of(),
                LintPolicy.DEFAULT_SECRET_NAMES);
        assertThat(new Linter(pin).lint("D", "FROM a:1\n")).extracting(Finding::code).contains("PC1002");
        assertThat(new Linter(pin).lint("D", "FROM a:1@sha256:" + "ab".repeat(32) + "\n")).extracting(Finding::code)
                .doesNotContain("PC1002");
    }

    @Test
    void pragma_whenDl1001Enabled_isReported() {
        List<Finding> f = new Linter(LABELS).lint("D", "FROM a:1\n# hadolint ignore=DL3059\nRUN a\n");
        assertThat(f).extracting(Finding::code).contains("DL1001");
        assertThat(new Linter(LintPolicy.defaults()).lint("D", "FROM a:1\n# hadolint ignore=DL3059\nRUN a\n"))
                .extracting(Finding::code).doesNotContain("DL1001");
    }

    @Test
    void pragma_hadolintIgnore_silencesNamedCodesOnNextInstruction() {
        String df = "FROM a:1\n# hadolint ignore=DL3008,DL3015\nRUN apt-get install -y curl\nRUN apt-get install -y wget\n";
        List<Finding> f = new Linter(LintPolicy.defaults()).lint("D", df);
        assertThat(f).filteredOn(x -> x.code().equals("DL3008")).extracting(x -> x.position().line()).containsExactly(4);
    }

    @Test
    void apkAdd_tildePin_isAPin() {
        assertThat(reports("DL3018", "FROM a:1\nRUN apk add --no-cache git~2.52.0")).isFalse();
    }

    @Test
    void pragma_globalIgnore_silencesTheCodeEverywhere_disabledCountsForNothing() {
        String df = "FROM a:1\nRUN apt-get install -y curl\n# hadolint global ignore=DL3008\nRUN apt-get install -y wget\n";
        assertThat(new Linter(LintPolicy.defaults()).lint("D", df)).extracting(Finding::code).doesNotContain("DL3008");
        LintPolicy d = LintPolicy.defaults();
        LintPolicy disabled = new LintPolicy(d.ignored(), d.trustedRegistries(), d.overrides(), d.failureThreshold(), d.labelSchema(),
                d.strictLabels(), d.approvedBases(), d.requireDigest(), d.requiredLabels(), d.secretNames(), false);
        assertThat(new Linter(disabled).lint("D", df)).filteredOn(x -> x.code().equals("DL3008"))
                .extracting(x -> x.position().line()).containsExactly(2, 4);
        assertThat(new Linter(disabled).lint("D", "FROM a:1\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\n"))
                .extracting(Finding::code).contains("DL3008");
    }

    @Test
    void policy_ignoredAndOverride_changeFindings() {
        LintPolicy p = new LintPolicy(Set.of("DL3059"), List.of(), Map.of("DL3003", Severity.ERROR), Severity.INFO, Map.of(),
                false, List.of(), false, List.of(), LintPolicy.DEFAULT_SECRET_NAMES);
        List<Finding> f = new Linter(p).lint("D", "FROM a:1\nRUN cd /x\nRUN y\n");
        assertThat(f).extracting(Finding::code).doesNotContain("DL3059");
        assertThat(f).filteredOn(x -> x.code().equals("DL3003")).extracting(Finding::severity).containsExactly(Severity.ERROR);
    }

    @Test
    void lint_syntaxError_isOneDl1000Finding() {
        assertThat(new Linter(LintPolicy.defaults()).lint("D", "FROM a:1\nBOGUS x\n")).singleElement()
                .satisfies(f -> {
                    assertThat(f.code()).isEqualTo("DL1000");
                    assertThat(f.position().line()).isEqualTo(2);
                });
    }

    @Test
    void secretFinding_neverQuotesTheValue() {
        List<Finding> f = new Linter(LintPolicy.defaults()).lint("D", "FROM a:1\nENV DB_PASSWORD=hunter2\n");
        assertThat(f).filteredOn(x -> x.code().equals("PC1004")).singleElement()
                .satisfies(x -> assertThat(x.message()).doesNotContain("hunter2"));
    }
}
