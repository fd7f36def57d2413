"""Each log format's parser on lines written as the vendors' documentation shows them (typed here
by hand, apart from the generator): the fields a report needs come out right."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.downloads import alb, jsonlines, ncsa, s3, w3c
from bot.downloads.hit import host_key, split_target

ALB = ('https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 '
       '10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "GET https://www.example.com:443/files/a%20b.pdf?x=1 HTTP/1.1" '
       '"curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 '
       'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 '
       '"Root=1-58337281-1d84f3d73c47ec4e58577259" "www.example.com" '
       '"arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" 1 '
       '2018-07-02T22:22:48.364000Z "authenticate,forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_123')
S3 = ('79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be awsexamplebucket1 '
      '[06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be '
      '3E57427F3EXAMPLE REST.GET.OBJECT files/a%20b.pdf "GET /files/a%20b.pdf HTTP/1.1" 200 - 2662992 3462992 70 10 '
      '"-" "S3Console/0.4" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 '
      'ECDHE-RSA-AES128-GCM-SHA256 AuthHeader awsexamplebucket1.s3.us-west-1.amazonaws.com TLSV1.2 - -')
VHOST = ('www.example.com:443 203.0.113.7 - frank [10/Oct/2000:13:55:36 -0700] "GET /files/a%20b.pdf HTTP/1.0" '
         '200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"')
COMMON = '127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 -'
CLOUDFRONT_FIELDS = ("#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status "
                     "cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id "
                     "x-host-header cs-protocol cs-bytes time-taken")
CLOUDFRONT = "\t".join(["2019-12-04", "21:02:31", "LAX1", "392", "192.0.2.100", "GET", "d111111abcdef8.cloudfront.net",
                        "/files/a%2520b.pdf", "206", "-", "Mozilla/5.0%20(Windows%20NT%2010.0)", "-", "-", "Hit",
                        "SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==", "www.example.com", "https",
                        "23", "0.001"])
IIS = ("2026-11-03 14:31:07 W3SVC1 WEB01 10.0.0.5 GET /files/a+b.pdf - 443 - 66.249.66.1 HTTP/1.1 "
       "Mozilla/5.0+(compatible;+Googlebot/2.1;++http://www.google.com/bot.html) - www.example.com 200 0 0 2662992 "
       "412 15")
IIS_FIELDS = ("#Fields: date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port "
              "cs-username c-ip cs-version cs(User-Agent) cs(Referer) cs-host sc-status sc-substatus "
              "sc-win32-status sc-bytes cs-bytes time-taken")
CLOUDFLARE = ('{"ClientIP":"198.51.100.4","ClientRequestHost":"www.example.com","ClientRequestMethod":"GET",'
              '"ClientRequestURI":"/files/a%20b.pdf","EdgeResponseBytes":2663310,"EdgeResponseStatus":200,'
              '"EdgeStartTimestamp":"2026-11-03T14:02:54Z","ClientRequestUserAgent":"curl/8.4.0"}')
NGINX = ('{"time_local":"03/Nov/2026:15:02:54 +0100","remote_addr":"198.51.100.9","request":"HEAD /files/a%20b.pdf '
         'HTTP/2.0","status":"200","body_bytes_sent":"0","http_user_agent":"Wget/1.21","http_host":"www.example.com",'
         '"http_range":"bytes=100-199"}')


def parsed(parser, line: str, header: str | None = None):
    if header:
        parser.parse(header)
    hit = parser.parse(line)
    assert hit is not None
    return hit


@pytest.mark.parametrize(("parser", "line", "header", "expected"), [
    (alb.Parser(), ALB, None, ("192.168.131.39", "GET", 200, 57, "www.example.com", datetime(2018, 7, 2, 22, 23, 0, 186641, tzinfo=UTC))),
    (s3.Parser(), S3, None, ("192.0.2.3", "GET", 200, 2662992, "awsexamplebucket1.s3.us-west-1.amazonaws.com",
                             datetime(2019, 2, 6, 0, 0, 38, tzinfo=UTC))),
    (ncsa.Parser(), VHOST, None, ("203.0.113.7", "GET", 200, 2326, "www.example.com", datetime(2000, 10, 10, 20, 55, 36, tzinfo=UTC))),
    (w3c.Parser(), CLOUDFRONT, CLOUDFRONT_FIELDS, ("192.0.2.100", "GET", 206, 392, "www.example.com",
                                                   datetime(2019, 12, 4, 21, 2, 31, tzinfo=UTC))),
    (w3c.Parser(), IIS, IIS_FIELDS, ("66.249.66.1", "GET", 200, 2662992, "www.example.com",
                                     datetime(2026, 11, 3, 14, 31, 7, tzinfo=UTC))),
    (jsonlines.Parser(), CLOUDFLARE, None, ("198.51.100.4", "GET", 200, 2663310, "www.example.com",
                                            datetime(2026, 11, 3, 14, 2, 54, tzinfo=UTC))),
    (jsonlines.Parser(), NGINX, None, ("198.51.100.9", "HEAD", 200, 0, "www.example.com",
                                       datetime(2026, 11, 3, 14, 2, 54, tzinfo=UTC))),
], ids=["alb", "s3", "vhost-combined", "cloudfront", "iis", "cloudflare", "nginx-json"])
def test_documented_lines(parser, line, header, expected):
    hit = parsed(parser, line, header)
    assert (hit.client, hit.method, hit.status, hit.bytes_sent) == expected[:4]
    host, path = split_target(hit.target)
    assert host_key(host or hit.host) == host_key(expected[4]) and hit.time == expected[5]
    assert path == b"/files/a b.pdf"      # CloudFront's %2520 included: it encodes the stem once more


def test_labels_user_agents_and_ranges():
    assert parsed(ncsa.Parser(), COMMON).user_agent == ""
    parser = ncsa.Parser()
    parser.parse(COMMON)
    assert parser.label == "common"
    iis = w3c.Parser()
    iis.parse("#Software: Microsoft Internet Information Services 10.0")
    hit = parsed(iis, IIS, IIS_FIELDS)
    assert iis.label == "iis" and "Googlebot/2.1" in hit.user_agent and split_target(hit.target)[1] == b"/files/a b.pdf"
    cloudfront = w3c.Parser()
    assert parsed(cloudfront, CLOUDFRONT, CLOUDFRONT_FIELDS).user_agent == "Mozilla/5.0 (Windows NT 10.0)"
    assert cloudfront.label == "cloudfront"
    nginx = jsonlines.Parser()
    hit = parsed(nginx, NGINX)
    assert (hit.range_start, hit.range_end, nginx.label) == (100, 199, "json")
    cloudflare = jsonlines.Parser()
    parsed(cloudflare, CLOUDFLARE)
    assert cloudflare.label == "cloudflare"


@pytest.mark.parametrize("line", ["", "not a log line", "{not json", '{"status": 200}', "[]",
                                  '127.0.0.1 - - [99/Foo/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 5'])
def test_garbage_is_none_for_every_format(line):
    for kind in (ncsa.Parser, w3c.Parser, s3.Parser, alb.Parser, jsonlines.Parser):
        assert kind().parse(line) is None
