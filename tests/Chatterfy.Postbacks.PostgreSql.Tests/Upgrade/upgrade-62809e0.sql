-- A schema made by Chatterfy.Postbacks.PostgreSql at commit 62809e0 (the last commit before Storage v2), schema version 2,
-- filled through that commit's services and store by a throw-away test (UpgradeDumpFiller, run in a worktree of 62809e0):
-- sets (a rotated token in grace, a deleted and a disabled set), campaigns, clicks with personal data (one erased),
-- conversions credited, unattributed, late-credited, windowed and custom, log entries of every outcome, forwarding
-- rules, outbox messages of every status with attempts. What that store read back is upgrade-62809e0.expected.txt.
-- Made with: pg_dump --inserts --no-owner -n upgrade_62809e0 (PostgreSQL 15). Restored by PostgreSqlUpgradeTests.
--
-- PostgreSQL database dump
--

\restrict w1pzHtbILWrvsfpwxZidIMGgobDRT9P0GdiXeGVySspMLkJhbilbE73P3bcljjp

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: upgrade_62809e0; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA upgrade_62809e0;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: campaigns; Type: TABLE; Schema: upgrade_62809e0; Owner: -
--

CREATE TABLE upgrade_62809e0.campaigns (
    id text NOT NULL COLLATE pg_catalog."C",
    name text,
    destination_template text NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: clicks; Type: TABLE; Schema: upgrade_62809e0; Owner: -
--

CREATE TABLE upgrade_62809e0.clicks (
    id text NOT NULL COLLATE pg_catalog."C",
    campaign_id text COLLATE pg_catalog."C",
    subject_id text,
    fbclid text,
    fbc text,
    fbp text,
    ip_address inet,
    user_agent text,
    event_source_url text,
    created_at timestamp with time zone NOT NULL,
    fields jsonb NOT NULL
);


--
-- Name: conversions; Type: TABLE; Schema: upgrade_62809e0; Owner: -
--

CREATE TABLE upgrade_62809e0.conversions (
    id text NOT NULL COLLATE pg_catalog."C",
    set_id text NOT NULL COLLATE pg_catalog."C",
    event_kind text NOT NULL,
    event_name text NOT NULL,
    click_id text NOT NULL COLLATE pg_catalog."C",
    amount numeric,
    currency text COLLATE pg_catalog."C",
    transaction_id text,
    attributes jsonb NOT NULL,
    received_at timestamp with time zone NOT NULL,
    remote_address inet,
    idempotency_key text NOT NULL COLLATE pg_catalog."C",
    idempotency_window interval,
    attribution text NOT NULL,
    campaign_id text COLLATE pg_catalog."C",
    CONSTRAINT conversions_amount_check CHECK (((amount = round(amount, 8)) AND (abs(amount) < ('1000000000000'::bigint)::numeric))),
    CONSTRAINT conversions_attribution_check CHECK ((attribution = ANY (ARRAY['credited'::text, 'unattributed'::text]))),
    CONSTRAINT conversions_event_kind_check CHECK ((event_kind = ANY (ARRAY['registration'::text, 'first_deposit'::text, 'deposit'::text, 'custom'::text])))
);


--
-- Name: forwarding_rules; Type: TABLE; Schema: upgrade_62809e0; Owner: -
--

CREATE TABLE upgrade_62809e0.forwarding_rules (
    id text NOT NULL COLLATE pg_catalog."C",
    name text,
    set_id text COLLATE pg_catalog."C",
    campaign_id text COLLATE pg_catalog."C",
    destination_id text NOT NULL COLLATE pg_catalog."C",
    settings text NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: outbox_attempts; Type: TABLE; Schema: upgrade_62809e0; Owner: -
--

CREATE TABLE upgrade_62809e0.outbox_attempts (
    message_id text NOT NULL COLLATE pg_catalog."C",
    number integer NOT NULL,
    started_at timestamp with time zone NOT NULL,
    duration interval NOT NULL,
    status text NOT NULL,
    http_status_code integer,
    error_code text,
    reason text,
    response_excerpt text,
    destination_error_code text,
    destination_error_subcode text,
    destination_error_type text,
    destination_error_message text,
    destination_error_trace_id text,
    destination_error_transient boolean,
    CONSTRAINT outbox_attempts_status_check CHECK ((status = ANY (ARRAY['delivered'::text, 'retry'::text, 'dead_letter'::text])))
);


--
-- Name: outbox_messages; Type: TABLE; Schema: upgrade_62809e0; Owner: -
--

CREATE TABLE upgrade_62809e0.outbox_messages (
    id text NOT NULL COLLATE pg_catalog."C",
    conversion_id text NOT NULL COLLATE pg_catalog."C",
    rule_id text NOT NULL COLLATE pg_catalog."C",
    destination_id text NOT NULL COLLATE pg_catalog."C",
    created_at timestamp with time zone NOT NULL,
    status text NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    retry_from timestamp with time zone NOT NULL,
    attempt_count integer NOT NULL,
    last_error_code text,
    last_error text,
    completed_at timestamp with time zone,
    lease_id text COLLATE pg_catalog."C",
    lease_expires_at timestamp with time zone,
    CONSTRAINT outbox_messages_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'delivered'::text, 'dead_lettered'::text])))
);


--
-- Name: postback_log; Type: TABLE; Schema: upgrade_62809e0; Owner: -
--

CREATE TABLE upgrade_62809e0.postback_log (
    id text NOT NULL COLLATE pg_catalog."C",
    received_at timestamp with time zone NOT NULL,
    set_id text NOT NULL COLLATE pg_catalog."C",
    outcome text NOT NULL,
    code text,
    warnings text[] NOT NULL,
    conversion_id text COLLATE pg_catalog."C",
    request_method text NOT NULL,
    request_path text NOT NULL,
    request_event_segment text,
    request_query_string text NOT NULL,
    request_body text,
    request_content_type text,
    request_remote_address inet,
    CONSTRAINT postback_log_outcome_check CHECK ((outcome = ANY (ARRAY['accepted'::text, 'duplicate'::text, 'unattributed'::text, 'rejected'::text])))
);


--
-- Name: postback_set_tokens; Type: TABLE; Schema: upgrade_62809e0; Owner: -
--

CREATE TABLE upgrade_62809e0.postback_set_tokens (
    token text NOT NULL COLLATE pg_catalog."C",
    set_id text NOT NULL COLLATE pg_catalog."C"
);


--
-- Name: postback_sets; Type: TABLE; Schema: upgrade_62809e0; Owner: -
--

CREATE TABLE upgrade_62809e0.postback_sets (
    id text NOT NULL COLLATE pg_catalog."C",
    name text NOT NULL,
    network_id text NOT NULL,
    campaign_id text COLLATE pg_catalog."C",
    token text NOT NULL COLLATE pg_catalog."C",
    previous_token text COLLATE pg_catalog."C",
    previous_token_valid_until timestamp with time zone,
    settings jsonb,
    created_at timestamp with time zone NOT NULL,
    enabled boolean NOT NULL,
    deleted boolean DEFAULT false NOT NULL
);


--
-- Name: schema_version; Type: TABLE; Schema: upgrade_62809e0; Owner: -
--

CREATE TABLE upgrade_62809e0.schema_version (
    version integer NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Data for Name: campaigns; Type: TABLE DATA; Schema: upgrade_62809e0; Owner: -
--

INSERT INTO upgrade_62809e0.campaigns VALUES ('spring', 'Spring sale', 'https://t.me/springbot?start={{tracker.clickid}}', '2026-02-02 08:00:00+00');
INSERT INTO upgrade_62809e0.campaigns VALUES ('autumn', NULL, 'https://t.me/autumnbot?start={{tracker.clickid}}', '2026-02-02 08:01:01.25+00');


--
-- Data for Name: clicks; Type: TABLE DATA; Schema: upgrade_62809e0; Owner: -
--

INSERT INTO upgrade_62809e0.clicks VALUES ('ndpnyI2fji39', 'spring', '777000001', 'IwAR0aaaa', 'fb.1.1554763741205.IwAR0aaaa', 'fb.1.1558571054389.1098115397', '203.0.113.7', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148', 'https://prelander.example/offer?utm_source=fb', '2026-02-02 08:08:10+00', '{"note": "éß \"q\"", "ad_name": "spring-1", "utm_source": "facebook"}');
INSERT INTO upgrade_62809e0.clicks VALUES ('bpFBjKG6qZRi', 'spring', '777000002', NULL, NULL, NULL, '2001:db8::7', 'TelegramBot (like TwitterBot)', NULL, '2026-02-02 08:09:11.25+00', '{}');
INSERT INTO upgrade_62809e0.clicks VALUES ('6ZHRalAc67Eq', 'autumn', '777000003', 'IwAR0cccc', NULL, NULL, NULL, NULL, NULL, '2026-02-02 08:10:12.5+00', '{}');
INSERT INTO upgrade_62809e0.clicks VALUES ('TKHhdjNe6LBj', NULL, '777000004', NULL, NULL, NULL, NULL, NULL, NULL, '2026-02-02 08:11:13.75+00', '{}');
INSERT INTO upgrade_62809e0.clicks VALUES ('Fs0UZm7JT7E0', 'spring', '777000007', NULL, 'fb.1.1.c6', NULL, NULL, NULL, NULL, '2026-02-02 08:13:16.25+00', '{}');
INSERT INTO upgrade_62809e0.clicks VALUES ('43ixcu7jxYDj', 'autumn', '777000008', NULL, NULL, 'fb.1.1.c7', NULL, NULL, NULL, '2026-02-02 08:14:17.5+00', '{}');
INSERT INTO upgrade_62809e0.clicks VALUES ('LateClick0001', 'spring', '777000006', NULL, NULL, NULL, NULL, NULL, NULL, '2026-02-02 08:45:56.25+00', '{}');
INSERT INTO upgrade_62809e0.clicks VALUES ('iwT8zD2l03mz', 'spring', '777000005', NULL, NULL, NULL, NULL, NULL, NULL, '2026-02-02 08:12:15+00', '{}');


--
-- Data for Name: conversions; Type: TABLE DATA; Schema: upgrade_62809e0; Owner: -
--

INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d6d7f6277bb87f51123b3c4d45d', '019c1d6069c67af38bafa30666005b1e', 'registration', 'registration', 'ndpnyI2fji39', NULL, NULL, NULL, '{}', '2026-02-02 08:17:21.25+00', '198.51.100.23', '019c1d6069c67af38bafa30666005b1e:registration:ndpnyI2fji39', NULL, 'credited', 'spring');
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d6e6ea4726eadca0e0410d227d3', '019c1d6069c67af38bafa30666005b1e', 'first_deposit', 'first-deposit', 'ndpnyI2fji39', 25.50, 'USD', 'T-100', '{"user_id": "991"}', '2026-02-02 08:18:22.5+00', '198.51.100.23', '019c1d6069c67af38bafa30666005b1e:first-deposit:ndpnyI2fji39', NULL, 'credited', 'spring');
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d704d2876818a863f8d780eb0bc', '019c1d6069c67af38bafa30666005b1e', 'deposit', 'deposit', 'ndpnyI2fji39', 10, 'USD', NULL, '{}', '2026-02-02 08:20:25+00', '198.51.100.23', '019c1d6069c67af38bafa30666005b1e:deposit:ndpnyI2fji39:h:qV74_6tHpPDGkOom5ftGPvVt', '1 day', 'credited', 'spring');
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d722bac7bc58fe0b32f0b3cc1dd', '019c1d6069c67af38bafa30666005b1e', 'deposit', 'deposit', '6ZHRalAc67Eq', 7.25, 'EUR', 'T-200', '{}', '2026-02-02 08:22:27.5+00', '198.51.100.23', '019c1d6069c67af38bafa30666005b1e:deposit:6ZHRalAc67Eq:t:T-200', NULL, 'credited', 'autumn');
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d731aee72b4803cf0c684875607', '019c1d6069c67af38bafa30666005b1e', 'custom', 'conf', '6ZHRalAc67Eq', NULL, NULL, NULL, '{}', '2026-02-02 08:23:28.75+00', '198.51.100.23', '019c1d6069c67af38bafa30666005b1e:conf:6ZHRalAc67Eq:h:_ow7g7AK7oCKcnnwPQ9XfL9w', '1 day', 'credited', 'autumn');
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d74f9727f08bef79567eaf5a3f0', '019c1d6069c67af38bafa30666005b1e', 'deposit', 'deposit', 'UnknownClick02', 5, 'USD', 'T-300', '{}', '2026-02-02 08:25:31.25+00', '198.51.100.23', '019c1d6069c67af38bafa30666005b1e:deposit:UnknownClick02:t:T-300', NULL, 'unattributed', NULL);
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d77c73871ca98a83c5c83a11acf', '019c1d6069c67af38bafa30666005b1e', 'registration', 'registration', 'TKHhdjNe6LBj', NULL, NULL, NULL, '{}', '2026-02-02 08:28:35+00', '198.51.100.23', '019c1d6069c67af38bafa30666005b1e:registration:TKHhdjNe6LBj', NULL, 'credited', NULL);
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d78b67a7cdc8ea0d9a4ea895bef', '019c1d6159087c29ae64969b7885a5cd', 'first_deposit', 'first-deposit', 'bpFBjKG6qZRi', 99.99, 'USD', 'W-1', '{"country": "BR", "user_id": "u1"}', '2026-02-02 08:29:36.25+00', '198.51.100.23', '019c1d6159087c29ae64969b7885a5cd:first-deposit:bpFBjKG6qZRi', NULL, 'credited', 'spring');
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d79a5bc72d2a6f8e056cf5411bd', '019c1d6159087c29ae64969b7885a5cd', 'registration', 'registration', '6ZHRalAc67Eq', NULL, NULL, NULL, '{"country": "AR", "user_id": "u3"}', '2026-02-02 08:30:37.5+00', '198.51.100.23', '019c1d6159087c29ae64969b7885a5cd:registration:6ZHRalAc67Eq', NULL, 'unattributed', 'spring');
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d7a94fe7748bbc6270c63a5cd19', '019c1d6159087c29ae64969b7885a5cd', 'deposit', 'deposit', 'iwT8zD2l03mz', 0.00000001, 'USD', 'W-2', '{}', '2026-02-02 08:31:38.75+00', '198.51.100.23', '019c1d6159087c29ae64969b7885a5cd:deposit:iwT8zD2l03mz:t:W-2', NULL, 'credited', 'spring');
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d7b844074efa404b30b18b325d9', '019c1d6159087c29ae64969b7885a5cd', 'deposit', 'deposit', 'bpFBjKG6qZRi', 123456789012.12345678, 'USD', 'W-3', '{}', '2026-02-02 08:32:40+00', '198.51.100.23', '019c1d6159087c29ae64969b7885a5cd:deposit:bpFBjKG6qZRi:t:W-3', NULL, 'credited', 'spring');
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d7d62c479cb99c13a7a72cf98db', '019c1d6069c67af38bafa30666005b1e', 'deposit', 'deposit', 'ndpnyI2fji39', 60.00, 'USD', 'T-101', '{}', '2026-02-02 08:34:42.5+00', '198.51.100.23', '019c1d6069c67af38bafa30666005b1e:deposit:ndpnyI2fji39:t:T-101', NULL, 'credited', 'spring');
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d7e52067cb1ad8d259e5c03e6bb', '019c1d6159087c29ae64969b7885a5cd', 'deposit', 'deposit', 'bpFBjKG6qZRi', 15, 'EUR', 'W-5', '{}', '2026-02-02 08:35:43.75+00', '198.51.100.23', '019c1d6159087c29ae64969b7885a5cd:deposit:bpFBjKG6qZRi:t:W-5', NULL, 'credited', 'spring');
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d7f414874ccb618193f15bdec77', '019c1d6069c67af38bafa30666005b1e', 'first_deposit', 'first-deposit', 'Fs0UZm7JT7E0', 61.00, 'USD', 'T-102', '{}', '2026-02-02 08:36:45+00', '198.51.100.23', '019c1d6069c67af38bafa30666005b1e:first-deposit:Fs0UZm7JT7E0', NULL, 'credited', 'spring');
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d80308a741f8f627c29d90448d0', '019c1d6069c67af38bafa30666005b1e', 'first_deposit', 'first-deposit', '43ixcu7jxYDj', 62.00, 'EUR', NULL, '{}', '2026-02-02 08:37:46.25+00', '198.51.100.23', '019c1d6069c67af38bafa30666005b1e:first-deposit:43ixcu7jxYDj', NULL, 'credited', 'autumn');
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d811fcc73e7863c28f4661d8a0c', '019c1d6069c67af38bafa30666005b1e', 'registration', 'registration', '43ixcu7jxYDj', NULL, NULL, NULL, '{}', '2026-02-02 08:38:47.5+00', '198.51.100.23', '019c1d6069c67af38bafa30666005b1e:registration:43ixcu7jxYDj', NULL, 'credited', 'autumn');
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d820f0e79089794d13c315c0449', '019c1d62484a7ebb9d783e4af5484dbb', 'registration', 'registration', 'TKHhdjNe6LBj', NULL, NULL, NULL, '{}', '2026-02-02 08:39:48.75+00', '198.51.100.23', '019c1d62484a7ebb9d783e4af5484dbb:registration:TKHhdjNe6LBj', NULL, 'credited', NULL);
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d83ed927c9788a3749840bde422', '019c1d62484a7ebb9d783e4af5484dbb', 'first_deposit', 'first-deposit', 'TKHhdjNe6LBj', 1.5, 'USD', NULL, '{}', '2026-02-02 08:41:51.25+00', '198.51.100.23', '019c1d62484a7ebb9d783e4af5484dbb:first-deposit:TKHhdjNe6LBj', NULL, 'credited', NULL);
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d84dcd47f5186206cfc72aa4d38', '019c1d62484a7ebb9d783e4af5484dbb', 'custom', 'conf', 'TKHhdjNe6LBj', 2, 'USD', NULL, '{}', '2026-02-02 08:42:52.5+00', '198.51.100.23', '019c1d62484a7ebb9d783e4af5484dbb:conf:TKHhdjNe6LBj:h:QhKUZi3JwwPNj1465UxxYnT7', '1 day', 'credited', NULL);
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d85cc16765ea94cf56c188daa27', '019c1d63378c7ba381f7b8e5918f8824', 'registration', 'registration', 'bpFBjKG6qZRi', NULL, NULL, NULL, '{}', '2026-02-02 08:43:53.75+00', '198.51.100.23', '019c1d63378c7ba381f7b8e5918f8824:registration:bpFBjKG6qZRi', NULL, 'credited', 'spring');
INSERT INTO upgrade_62809e0.conversions VALUES ('019c1d740a3078abb56a43e986f39162', '019c1d6069c67af38bafa30666005b1e', 'first_deposit', 'first-deposit', 'LateClick0001', 40, 'USD', NULL, '{}', '2026-02-02 08:24:30+00', '198.51.100.23', '019c1d6069c67af38bafa30666005b1e:first-deposit:LateClick0001', NULL, 'credited', 'spring');


--
-- Data for Name: forwarding_rules; Type: TABLE DATA; Schema: upgrade_62809e0; Owner: -
--

INSERT INTO upgrade_62809e0.forwarding_rules VALUES ('019c1d6ba0de75768b892478748754a0', NULL, '019c1d6069c67af38bafa30666005b1e', NULL, 'facebook-capi', '{ "pixelId":"123456789012345", "accessToken":"EAAB-upgrade-access-token-0123456789abcd", "graphBaseUrl":"http://127.0.0.1:9" }', '2026-02-02 08:15:18.75+00');
INSERT INTO upgrade_62809e0.forwarding_rules VALUES ('019c1d6c902073209c33e396bfe327dc', 'Meta spring', NULL, 'spring', 'facebook-capi', '{"pixelId":"998877665544332","accessToken":"EAAB-spring-access-token-9876543210zyxw","graphBaseUrl":"http://127.0.0.1:9"}', '2026-02-02 08:16:20+00');


--
-- Data for Name: outbox_attempts; Type: TABLE DATA; Schema: upgrade_62809e0; Owner: -
--

INSERT INTO upgrade_62809e0.outbox_attempts VALUES ('019c1d6d7f627e8ca14a8d5413899097', 1, '2026-02-02 08:47:58.75+00', '00:00:00.0805', 'delivered', 200, NULL, NULL, '{"events_received":1}', NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO upgrade_62809e0.outbox_attempts VALUES ('019c1d6e6ea47d8a96f63e7864d3bb91', 1, '2026-02-02 08:49:00+00', '00:00:01.234567', 'retry', 503, 'http_503', 'Service Unavailable', '{"error":{"code":2}}', '2', '1', 'OAuthException', 'Try later', 'A1b2', true);
INSERT INTO upgrade_62809e0.outbox_attempts VALUES ('019c1d77c73878498751b9e15c9b68b0', 1, '2026-02-02 08:50:01.25+00', '00:00:05', 'retry', NULL, 'timeout', 'No answer within 5 s', NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO upgrade_62809e0.outbox_attempts VALUES ('019c1d77c73878498751b9e15c9b68b0', 2, '2026-02-02 08:51:02.5+00', '00:00:00.3', 'dead_letter', 400, 'destination_rejected', 'Invalid parameter', '{"error":{"code":100}}', '100', NULL, 'OAuthException', 'Invalid parameter', NULL, false);
INSERT INTO upgrade_62809e0.outbox_attempts VALUES ('019c1d78b67a7c6882d3227b2113b3cc', 1, '2026-02-02 08:52:03.75+00', '00:00:05', 'retry', NULL, 'timeout', 'No answer within 5 s', NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO upgrade_62809e0.outbox_attempts VALUES ('019c1d78b67a7c6882d3227b2113b3cc', 2, '2026-02-02 08:53:05+00', '00:00:00.3', 'dead_letter', 400, 'destination_rejected', 'Invalid parameter', '{"error":{"code":100}}', '100', NULL, 'OAuthException', 'Invalid parameter', NULL, false);


--
-- Data for Name: outbox_messages; Type: TABLE DATA; Schema: upgrade_62809e0; Owner: -
--

INSERT INTO upgrade_62809e0.outbox_messages VALUES ('019c1d80308a7b7aabe76ac4687c1728', '019c1d80308a741f8f627c29d90448d0', '019c1d6ba0de75768b892478748754a0', 'facebook-capi', '2026-02-02 08:37:46.25+00', 'pending', '2026-02-02 08:37:46.25+00', '2026-02-02 08:37:46.25+00', 0, NULL, NULL, NULL, NULL, NULL);
INSERT INTO upgrade_62809e0.outbox_messages VALUES ('019c1d811fcc7cda894658bb7f92e435', '019c1d811fcc73e7863c28f4661d8a0c', '019c1d6ba0de75768b892478748754a0', 'facebook-capi', '2026-02-02 08:38:47.5+00', 'pending', '2026-02-02 08:38:47.5+00', '2026-02-02 08:38:47.5+00', 0, NULL, NULL, NULL, NULL, NULL);
INSERT INTO upgrade_62809e0.outbox_messages VALUES ('019c1d85cc167096a3b45cbab1cc8c63', '019c1d85cc16765ea94cf56c188daa27', '019c1d6c902073209c33e396bfe327dc', 'facebook-capi', '2026-02-02 08:43:53.75+00', 'pending', '2026-02-02 08:43:53.75+00', '2026-02-02 08:43:53.75+00', 0, NULL, NULL, NULL, NULL, NULL);
INSERT INTO upgrade_62809e0.outbox_messages VALUES ('019c1d6d7f627e8ca14a8d5413899097', '019c1d6d7f6277bb87f51123b3c4d45d', '019c1d6ba0de75768b892478748754a0', 'facebook-capi', '2026-02-02 08:17:21.25+00', 'delivered', '2026-02-02 08:17:21.25+00', '2026-02-02 08:17:21.25+00', 1, NULL, NULL, '2026-02-02 08:47:59.75+00', NULL, NULL);
INSERT INTO upgrade_62809e0.outbox_messages VALUES ('019c1d6e6ea47d8a96f63e7864d3bb91', '019c1d6e6ea4726eadca0e0410d227d3', '019c1d6ba0de75768b892478748754a0', 'facebook-capi', '2026-02-02 08:18:22.5+00', 'pending', '2036-01-31 08:49:00+00', '2026-02-02 08:18:22.5+00', 1, 'http_503', 'Service Unavailable', NULL, NULL, NULL);
INSERT INTO upgrade_62809e0.outbox_messages VALUES ('019c1d77c73878498751b9e15c9b68b0', '019c1d77c73871ca98a83c5c83a11acf', '019c1d6ba0de75768b892478748754a0', 'facebook-capi', '2026-02-02 08:28:35+00', 'dead_lettered', '2026-01-01 00:00:00+00', '2026-02-02 08:28:35+00', 2, 'destination_rejected', 'Invalid parameter', '2026-02-02 08:51:02.8+00', NULL, NULL);
INSERT INTO upgrade_62809e0.outbox_messages VALUES ('019c1d78b67a7c6882d3227b2113b3cc', '019c1d78b67a7cdc8ea0d9a4ea895bef', '019c1d6c902073209c33e396bfe327dc', 'facebook-capi', '2026-02-02 08:29:36.25+00', 'pending', '2026-02-02 08:54:06.25+00', '2026-02-02 08:54:06.25+00', 2, 'destination_rejected', 'Invalid parameter', NULL, NULL, NULL);
INSERT INTO upgrade_62809e0.outbox_messages VALUES ('019c1d7f4148704f948371cbfee92afc', '019c1d7f414874ccb618193f15bdec77', '019c1d6ba0de75768b892478748754a0', 'facebook-capi', '2026-02-02 08:36:45+00', 'pending', '2026-02-02 08:36:45+00', '2026-02-02 08:36:45+00', 0, NULL, NULL, NULL, 'lease-live', '2036-01-31 08:55:07.5+00');


--
-- Data for Name: postback_log; Type: TABLE DATA; Schema: upgrade_62809e0; Owner: -
--

INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d6d7f62714dabfa13b51f7615f2', '2026-02-02 08:17:21.25+00', '019c1d6069c67af38bafa30666005b1e', 'accepted', NULL, '{}', '019c1d6d7f6277bb87f51123b3c4d45d', 'GET', '/api/postbacks/OLwKxzthuEh_zarplrBKqg', NULL, '?click_id=ndpnyI2fji39&reg=true', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d6e6ea47e57bc9a65092db2ff2f', '2026-02-02 08:18:22.5+00', '019c1d6069c67af38bafa30666005b1e', 'accepted', NULL, '{}', '019c1d6e6ea4726eadca0e0410d227d3', 'GET', '/api/postbacks/OLwKxzthuEh_zarplrBKqg', NULL, '?click_id=ndpnyI2fji39&ftd=true&amount=25.50&transaction_id=T-100&user_id=991', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d6f5de675a5bb0b0d2e74e80263', '2026-02-02 08:19:23.75+00', '019c1d6069c67af38bafa30666005b1e', 'duplicate', NULL, '{}', '019c1d6e6ea4726eadca0e0410d227d3', 'GET', '/api/postbacks/OLwKxzthuEh_zarplrBKqg', NULL, '?click_id=ndpnyI2fji39&ftd=true&amount=25.50&transaction_id=T-100&user_id=991', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d704d287714bdda8168bbd2bc83', '2026-02-02 08:20:25+00', '019c1d6069c67af38bafa30666005b1e', 'accepted', NULL, '{}', '019c1d704d2876818a863f8d780eb0bc', 'GET', '/api/postbacks/OLwKxzthuEh_zarplrBKqg', NULL, '?click_id=ndpnyI2fji39&dep=true&amount=10', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d713c6a71a1b30910ada2c1f2d0', '2026-02-02 08:21:26.25+00', '019c1d6069c67af38bafa30666005b1e', 'duplicate', NULL, '{}', '019c1d704d2876818a863f8d780eb0bc', 'GET', '/api/postbacks/OLwKxzthuEh_zarplrBKqg', NULL, '?click_id=ndpnyI2fji39&dep=true&amount=10', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d722bac7cdcb0f2d1005d059a68', '2026-02-02 08:22:27.5+00', '019c1d6069c67af38bafa30666005b1e', 'accepted', NULL, '{}', '019c1d722bac7bc58fe0b32f0b3cc1dd', 'GET', '/api/postbacks/OLwKxzthuEh_zarplrBKqg', NULL, '?click_id=6ZHRalAc67Eq&dep=true&amount=7.25&currency=EUR&transaction_id=T-200', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d731aee79c9b9d8b0115d171007', '2026-02-02 08:23:28.75+00', '019c1d6069c67af38bafa30666005b1e', 'accepted', NULL, '{}', '019c1d731aee72b4803cf0c684875607', 'GET', '/api/postbacks/OLwKxzthuEh_zarplrBKqg', NULL, '?click_id=6ZHRalAc67Eq&conf=true', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d740a307d2fa1e3a9ab8628198f', '2026-02-02 08:24:30+00', '019c1d6069c67af38bafa30666005b1e', 'unattributed', NULL, '{click_unknown}', '019c1d740a3078abb56a43e986f39162', 'GET', '/api/postbacks/OLwKxzthuEh_zarplrBKqg', NULL, '?click_id=LateClick0001&ftd=true&amount=40', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d74f972772d8734ffe4020c9a9d', '2026-02-02 08:25:31.25+00', '019c1d6069c67af38bafa30666005b1e', 'unattributed', NULL, '{click_unknown}', '019c1d74f9727f08bef79567eaf5a3f0', 'GET', '/api/postbacks/OLwKxzthuEh_zarplrBKqg', NULL, '?click_id=UnknownClick02&dep=true&amount=5&transaction_id=T-300', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d75e8b47d86b558c7a1c1164888', '2026-02-02 08:26:32.5+00', '019c1d6069c67af38bafa30666005b1e', 'rejected', 'click_id_missing', '{}', NULL, 'GET', '/api/postbacks/OLwKxzthuEh_zarplrBKqg', NULL, '?ftd=true&amount=3', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d76d7f670c0ad8e650deee5d37b', '2026-02-02 08:27:33.75+00', '019c1d6069c67af38bafa30666005b1e', 'rejected', 'amount_invalid', '{}', NULL, 'GET', '/api/postbacks/OLwKxzthuEh_zarplrBKqg', NULL, '?click_id=ndpnyI2fji39&dep=true&amount=abc&transaction_id=T-400', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d77c7387572a3574fdd1caa91e0', '2026-02-02 08:28:35+00', '019c1d6069c67af38bafa30666005b1e', 'accepted', NULL, '{}', '019c1d77c73871ca98a83c5c83a11acf', 'POST', '/api/postbacks/OLwKxzthuEh_zarplrBKqg', NULL, '', 'click_id=TKHhdjNe6LBj&reg=true', 'application/x-www-form-urlencoded', '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d78b67a790b86151204cbf2d4f8', '2026-02-02 08:29:36.25+00', '019c1d6159087c29ae64969b7885a5cd', 'accepted', NULL, '{}', '019c1d78b67a7cdc8ea0d9a4ea895bef', 'GET', '/api/postbacks/1wHuu87Z0aqWT43Tu_dzCQ/first-deposit', 'first-deposit', '?clickid=bpFBjKG6qZRi&fields.user_id=u1&fields.country=BR&amount=99.99&tid=W-1', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d79a5bc79d9ab34b2acf9335a32', '2026-02-02 08:30:37.5+00', '019c1d6159087c29ae64969b7885a5cd', 'unattributed', NULL, '{campaign_mismatch}', '019c1d79a5bc72d2a6f8e056cf5411bd', 'GET', '/api/postbacks/1wHuu87Z0aqWT43Tu_dzCQ/registration', 'registration', '?clickid=6ZHRalAc67Eq&fields.user_id=u3&fields.country=AR', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d7a94fe72fc95651248c93d5201', '2026-02-02 08:31:38.75+00', '019c1d6159087c29ae64969b7885a5cd', 'accepted', NULL, '{}', '019c1d7a94fe7748bbc6270c63a5cd19', 'GET', '/api/postbacks/1wHuu87Z0aqWT43Tu_dzCQ/deposit', 'deposit', '?clickid=iwT8zD2l03mz&amount=0.00000001&tid=W-2', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d7b84407d3a8151f19e094b83d2', '2026-02-02 08:32:40+00', '019c1d6159087c29ae64969b7885a5cd', 'accepted', NULL, '{}', '019c1d7b844074efa404b30b18b325d9', 'GET', '/api/postbacks/1wHuu87Z0aqWT43Tu_dzCQ/deposit', 'deposit', '?clickid=bpFBjKG6qZRi&amount=123456789012.12345678&tid=W-3', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d7c7382732797233d585b53383d', '2026-02-02 08:33:41.25+00', '019c1d6159087c29ae64969b7885a5cd', 'rejected', 'macro_not_substituted', '{macro_ignored}', NULL, 'GET', '/api/postbacks/1wHuu87Z0aqWT43Tu_dzCQ/deposit', 'deposit', '?clickid={sub2}&amount=1&tid=W-4', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d7d62c47562aa1ae4fd1ddffdf5', '2026-02-02 08:34:42.5+00', '019c1d6069c67af38bafa30666005b1e', 'accepted', NULL, '{}', '019c1d7d62c479cb99c13a7a72cf98db', 'GET', '/api/postbacks/OLwKxzthuEh_zarplrBKqg', NULL, '?click_id=ndpnyI2fji39&dep=true&amount=60.00&transaction_id=T-101', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d7e52067092ba238fbda698b052', '2026-02-02 08:35:43.75+00', '019c1d6159087c29ae64969b7885a5cd', 'accepted', NULL, '{}', '019c1d7e52067cb1ad8d259e5c03e6bb', 'GET', '/api/postbacks/1wHuu87Z0aqWT43Tu_dzCQ/deposit', 'deposit', '?clickid=bpFBjKG6qZRi&amount=15&currency=EUR&tid=W-5', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d7f4148705bb58ea9f10a6b611a', '2026-02-02 08:36:45+00', '019c1d6069c67af38bafa30666005b1e', 'accepted', NULL, '{}', '019c1d7f414874ccb618193f15bdec77', 'GET', '/api/postbacks/OLwKxzthuEh_zarplrBKqg', NULL, '?click_id=Fs0UZm7JT7E0&ftd=true&amount=61.00&transaction_id=T-102', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d80308a7b71a62559c0d229771e', '2026-02-02 08:37:46.25+00', '019c1d6069c67af38bafa30666005b1e', 'accepted', NULL, '{}', '019c1d80308a741f8f627c29d90448d0', 'GET', '/api/postbacks/OLwKxzthuEh_zarplrBKqg', NULL, '?click_id=43ixcu7jxYDj&ftd=true&amount=62.00&currency=EUR', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d811fcc7fb484b07b9b43d49af5', '2026-02-02 08:38:47.5+00', '019c1d6069c67af38bafa30666005b1e', 'accepted', NULL, '{}', '019c1d811fcc73e7863c28f4661d8a0c', 'GET', '/api/postbacks/OLwKxzthuEh_zarplrBKqg', NULL, '?click_id=43ixcu7jxYDj&reg=true', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d820f0e72a9a9ed46136d73aa44', '2026-02-02 08:39:48.75+00', '019c1d62484a7ebb9d783e4af5484dbb', 'accepted', NULL, '{}', '019c1d820f0e79089794d13c315c0449', 'GET', '/api/postbacks/fIgCS10Hxb7KdKHq5WBl8w', NULL, '?click_id=TKHhdjNe6LBj&reg=true', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d83ed92796f8d7c6c5a005a945b', '2026-02-02 08:41:51.25+00', '019c1d62484a7ebb9d783e4af5484dbb', 'accepted', NULL, '{}', '019c1d83ed927c9788a3749840bde422', 'GET', '/api/postbacks/fIgCS10Hxb7KdKHq5WBl8w', NULL, '?click_id=TKHhdjNe6LBj&ftd=true&amount=1.5', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d84dcd471e1bc9466c2fd0b2a08', '2026-02-02 08:42:52.5+00', '019c1d62484a7ebb9d783e4af5484dbb', 'accepted', NULL, '{}', '019c1d84dcd47f5186206cfc72aa4d38', 'GET', '/api/postbacks/ddiYjA-qUiUs6dpboN0vmw', NULL, '?click_id=TKHhdjNe6LBj&conf=true&amount=2', NULL, NULL, '198.51.100.23');
INSERT INTO upgrade_62809e0.postback_log VALUES ('019c1d85cc16769faa28747e3b395db0', '2026-02-02 08:43:53.75+00', '019c1d63378c7ba381f7b8e5918f8824', 'accepted', NULL, '{}', '019c1d85cc16765ea94cf56c188daa27', 'GET', '/api/postbacks/0tpbUOFOhzVNcY4kQKVI9g', NULL, '?click_id=bpFBjKG6qZRi&reg=true', NULL, NULL, '198.51.100.23');


--
-- Data for Name: postback_set_tokens; Type: TABLE DATA; Schema: upgrade_62809e0; Owner: -
--

INSERT INTO upgrade_62809e0.postback_set_tokens VALUES ('OLwKxzthuEh_zarplrBKqg', '019c1d6069c67af38bafa30666005b1e');
INSERT INTO upgrade_62809e0.postback_set_tokens VALUES ('1wHuu87Z0aqWT43Tu_dzCQ', '019c1d6159087c29ae64969b7885a5cd');
INSERT INTO upgrade_62809e0.postback_set_tokens VALUES ('fIgCS10Hxb7KdKHq5WBl8w', '019c1d62484a7ebb9d783e4af5484dbb');
INSERT INTO upgrade_62809e0.postback_set_tokens VALUES ('0tpbUOFOhzVNcY4kQKVI9g', '019c1d63378c7ba381f7b8e5918f8824');
INSERT INTO upgrade_62809e0.postback_set_tokens VALUES ('lkaLixgNqOoCiaaVhrvHWw', '019c1d6426ce716093b6d3d0e0027fbe');
INSERT INTO upgrade_62809e0.postback_set_tokens VALUES ('ddiYjA-qUiUs6dpboN0vmw', '019c1d62484a7ebb9d783e4af5484dbb');


--
-- Data for Name: postback_sets; Type: TABLE DATA; Schema: upgrade_62809e0; Owner: -
--

INSERT INTO upgrade_62809e0.postback_sets VALUES ('019c1d6069c67af38bafa30666005b1e', 'Binomo main', 'binomo', NULL, 'OLwKxzthuEh_zarplrBKqg', NULL, NULL, NULL, '2026-02-02 08:03:03.75+00', true, false);
INSERT INTO upgrade_62809e0.postback_sets VALUES ('019c1d6159087c29ae64969b7885a5cd', '1Win spring', '1win', 'spring', '1wHuu87Z0aqWT43Tu_dzCQ', NULL, NULL, '{"clickIdSub": "sub2"}', '2026-02-02 08:04:05+00', true, false);
INSERT INTO upgrade_62809e0.postback_sets VALUES ('019c1d6426ce716093b6d3d0e0027fbe', 'Binomo paused (off)', 'binomo', NULL, 'lkaLixgNqOoCiaaVhrvHWw', NULL, NULL, NULL, '2026-02-02 08:07:08.75+00', false, false);
INSERT INTO upgrade_62809e0.postback_sets VALUES ('019c1d62484a7ebb9d783e4af5484dbb', 'Binomo rotated', 'binomo', NULL, 'ddiYjA-qUiUs6dpboN0vmw', 'fIgCS10Hxb7KdKHq5WBl8w', '2026-03-04 08:40:50+00', '{"eventFlags": {"dep": "deposit", "ftd": "first-deposit", "reg": "registration", "conf": "conf"}}', '2026-02-02 08:05:06.25+00', true, false);
INSERT INTO upgrade_62809e0.postback_sets VALUES ('019c1d63378c7ba381f7b8e5918f8824', 'Binomo old', 'binomo', NULL, '0tpbUOFOhzVNcY4kQKVI9g', NULL, NULL, NULL, '2026-02-02 08:06:07.5+00', true, true);


--
-- Data for Name: schema_version; Type: TABLE DATA; Schema: upgrade_62809e0; Owner: -
--

INSERT INTO upgrade_62809e0.schema_version VALUES (1, '2026-12-03 11:33:04.31482+00');
INSERT INTO upgrade_62809e0.schema_version VALUES (2, '2026-12-03 11:33:04.31482+00');


--
-- Name: campaigns campaigns_pkey; Type: CONSTRAINT; Schema: upgrade_62809e0; Owner: -
--

ALTER TABLE ONLY upgrade_62809e0.campaigns
    ADD CONSTRAINT campaigns_pkey PRIMARY KEY (id);


--
-- Name: clicks clicks_pkey; Type: CONSTRAINT; Schema: upgrade_62809e0; Owner: -
--

ALTER TABLE ONLY upgrade_62809e0.clicks
    ADD CONSTRAINT clicks_pkey PRIMARY KEY (id);


--
-- Name: conversions conversions_pkey; Type: CONSTRAINT; Schema: upgrade_62809e0; Owner: -
--

ALTER TABLE ONLY upgrade_62809e0.conversions
    ADD CONSTRAINT conversions_pkey PRIMARY KEY (id);


--
-- Name: forwarding_rules forwarding_rules_pkey; Type: CONSTRAINT; Schema: upgrade_62809e0; Owner: -
--

ALTER TABLE ONLY upgrade_62809e0.forwarding_rules
    ADD CONSTRAINT forwarding_rules_pkey PRIMARY KEY (id);


--
-- Name: outbox_attempts outbox_attempts_pkey; Type: CONSTRAINT; Schema: upgrade_62809e0; Owner: -
--

ALTER TABLE ONLY upgrade_62809e0.outbox_attempts
    ADD CONSTRAINT outbox_attempts_pkey PRIMARY KEY (message_id, number);


--
-- Name: outbox_messages outbox_messages_pkey; Type: CONSTRAINT; Schema: upgrade_62809e0; Owner: -
--

ALTER TABLE ONLY upgrade_62809e0.outbox_messages
    ADD CONSTRAINT outbox_messages_pkey PRIMARY KEY (id);


--
-- Name: postback_log postback_log_pkey; Type: CONSTRAINT; Schema: upgrade_62809e0; Owner: -
--

ALTER TABLE ONLY upgrade_62809e0.postback_log
    ADD CONSTRAINT postback_log_pkey PRIMARY KEY (id);


--
-- Name: postback_set_tokens postback_set_tokens_pkey; Type: CONSTRAINT; Schema: upgrade_62809e0; Owner: -
--

ALTER TABLE ONLY upgrade_62809e0.postback_set_tokens
    ADD CONSTRAINT postback_set_tokens_pkey PRIMARY KEY (token);


--
-- Name: postback_sets postback_sets_pkey; Type: CONSTRAINT; Schema: upgrade_62809e0; Owner: -
--

ALTER TABLE ONLY upgrade_62809e0.postback_sets
    ADD CONSTRAINT postback_sets_pkey PRIMARY KEY (id);


--
-- Name: schema_version schema_version_pkey; Type: CONSTRAINT; Schema: upgrade_62809e0; Owner: -
--

ALTER TABLE ONLY upgrade_62809e0.schema_version
    ADD CONSTRAINT schema_version_pkey PRIMARY KEY (version);


--
-- Name: clicks_campaign_created_at; Type: INDEX; Schema: upgrade_62809e0; Owner: -
--

CREATE INDEX clicks_campaign_created_at ON upgrade_62809e0.clicks USING btree (campaign_id, created_at);


--
-- Name: clicks_created_at; Type: INDEX; Schema: upgrade_62809e0; Owner: -
--

CREATE INDEX clicks_created_at ON upgrade_62809e0.clicks USING btree (created_at);


--
-- Name: conversions_click_received_at; Type: INDEX; Schema: upgrade_62809e0; Owner: -
--

CREATE INDEX conversions_click_received_at ON upgrade_62809e0.conversions USING btree (click_id, received_at, id);


--
-- Name: conversions_key_received_at; Type: INDEX; Schema: upgrade_62809e0; Owner: -
--

CREATE INDEX conversions_key_received_at ON upgrade_62809e0.conversions USING btree (idempotency_key, received_at, id);


--
-- Name: conversions_permanent_key; Type: INDEX; Schema: upgrade_62809e0; Owner: -
--

CREATE UNIQUE INDEX conversions_permanent_key ON upgrade_62809e0.conversions USING btree (idempotency_key) WHERE (idempotency_window IS NULL);


--
-- Name: conversions_received_at; Type: INDEX; Schema: upgrade_62809e0; Owner: -
--

CREATE INDEX conversions_received_at ON upgrade_62809e0.conversions USING btree (received_at);


--
-- Name: outbox_messages_conversion; Type: INDEX; Schema: upgrade_62809e0; Owner: -
--

CREATE INDEX outbox_messages_conversion ON upgrade_62809e0.outbox_messages USING btree (conversion_id, created_at DESC, id DESC);


--
-- Name: outbox_messages_created_at; Type: INDEX; Schema: upgrade_62809e0; Owner: -
--

CREATE INDEX outbox_messages_created_at ON upgrade_62809e0.outbox_messages USING btree (created_at DESC, id DESC);


--
-- Name: outbox_messages_due; Type: INDEX; Schema: upgrade_62809e0; Owner: -
--

CREATE INDEX outbox_messages_due ON upgrade_62809e0.outbox_messages USING btree (next_attempt_at, id) WHERE (status = 'pending'::text);


--
-- Name: outbox_messages_rule; Type: INDEX; Schema: upgrade_62809e0; Owner: -
--

CREATE INDEX outbox_messages_rule ON upgrade_62809e0.outbox_messages USING btree (rule_id, created_at DESC, id DESC);


--
-- Name: postback_log_received_at; Type: INDEX; Schema: upgrade_62809e0; Owner: -
--

CREATE INDEX postback_log_received_at ON upgrade_62809e0.postback_log USING btree (received_at DESC, id DESC);


--
-- Name: postback_log_rejected_received_at; Type: INDEX; Schema: upgrade_62809e0; Owner: -
--

CREATE INDEX postback_log_rejected_received_at ON upgrade_62809e0.postback_log USING btree (received_at) WHERE (outcome = 'rejected'::text);


--
-- Name: postback_log_set_received_at; Type: INDEX; Schema: upgrade_62809e0; Owner: -
--

CREATE INDEX postback_log_set_received_at ON upgrade_62809e0.postback_log USING btree (set_id, received_at DESC, id DESC);


--
-- Name: outbox_attempts outbox_attempts_message_fkey; Type: FK CONSTRAINT; Schema: upgrade_62809e0; Owner: -
--

ALTER TABLE ONLY upgrade_62809e0.outbox_attempts
    ADD CONSTRAINT outbox_attempts_message_fkey FOREIGN KEY (message_id) REFERENCES upgrade_62809e0.outbox_messages(id);


--
-- Name: outbox_messages outbox_messages_conversion_fkey; Type: FK CONSTRAINT; Schema: upgrade_62809e0; Owner: -
--

ALTER TABLE ONLY upgrade_62809e0.outbox_messages
    ADD CONSTRAINT outbox_messages_conversion_fkey FOREIGN KEY (conversion_id) REFERENCES upgrade_62809e0.conversions(id);


--
-- Name: postback_set_tokens postback_set_tokens_set_fkey; Type: FK CONSTRAINT; Schema: upgrade_62809e0; Owner: -
--

ALTER TABLE ONLY upgrade_62809e0.postback_set_tokens
    ADD CONSTRAINT postback_set_tokens_set_fkey FOREIGN KEY (set_id) REFERENCES upgrade_62809e0.postback_sets(id);


--
-- PostgreSQL database dump complete
--

\unrestrict w1pzHtbILWrvsfpwxZidIMGgobDRT9P0GdiXeGVySspMLkJhbilbE73P3bcljjp

