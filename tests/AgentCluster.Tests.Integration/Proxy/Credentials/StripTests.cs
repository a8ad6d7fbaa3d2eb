using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Proxy.Credentials;

/// <summary>
/// An upstream that wants the secret it was given to reach the sandbox: it echoes it compressed,
/// split across chunks, past the first MiB, under a binary content type, in another spelling, or
/// over a WebSocket. Each goes through the real proxy, intercepted as a sandbox's HTTPS would be,
/// and the sandbox's raw bytes must never hold the secret in any of those forms.
/// </summary>
public sealed class StripTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>, IAsyncLifetime
{
    private const string Secret = EgressNodeFixture.Secret;

    /// <summary>Non-ASCII, and with characters JSON and URLs escape; it travels as Basic, so it can leave in a header at all.</summary>
    private const string Unicode = "sk_ü/+\"秘密 v&=9Zq_long_enough";

    private ScriptedUpstream _upstream = null!;

    public async Task InitializeAsync()
    {
        _upstream = new ScriptedUpstream(node.UpstreamCertificates.Server);
        await node.Admin.Secrets.PutSecretAsync(new PutSecretRequest
        {
            Tenant = node.Tenant, Resource = "uni", Hosts = { "127.0.0.1" }, Actions = { "read" }, BasicUser = "bot", Value = Unicode,
        });
    }

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private string Target => $"127.0.0.1:{_upstream.Port}";

    private async Task<(SandboxSession Session, string Stub)> Granted(string resource = "echo")
    {
        var session = await node.NewSession(["echo:read", "uni:read"], Target);
        var stub = (await node.Admin.Grants.RequestGrantAsync(new RequestGrantRequest { Session = session.Id, Resource = resource, Action = "read" })).Token;
        return (session, stub);
    }

    /// <summary>One swapped request on its own intercepted connection; the sandbox's raw bytes back.</summary>
    private async Task<(RawResponse Response, byte[] Raw)> Swapped(SandboxSession session, string stub, string path = "/", string extra = "")
    {
        var (tls, _) = await node.Connect(session, Target, "127.0.0.1", node.ProxyCa());
        using (tls)
            return await EgressNodeFixture.Exchange(tls,
                $"GET {path} HTTP/1.1\r\nHost: {Target}\r\nAuthorization: Bearer {stub}\r\n{extra}Connection: close\r\n\r\n");
    }

    /// <summary>What the upstream received as the credential, which is what it echoes.</summary>
    private static string Received(ReceivedRequest r) => r.Header("Authorization").Single();

    public static TheoryData<string> Encodings => ["gzip", "deflate", "br", "x-gzip", "gzip, identity", "zstd"];

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task A_compressed_answer_to_a_swapped_request_is_refused_and_the_proxy_asked_for_identity(string encoding)
    {
        var (session, stub) = await Granted();
        _upstream.Answer = (r, s) => ScriptedUpstream.WriteWhole(s, $"Content-Type: text/plain\r\nContent-Encoding: {encoding}\r\n",
            Compress(encoding, Encoding.UTF8.GetBytes("you sent " + Received(r))));

        var (response, raw) = await Swapped(session, stub);

        Assert.Equal("identity", Assert.Single(_upstream.Requests[^1].Header("Accept-Encoding")));
        Assert.Equal(502, response.Status);
        Assert.DoesNotContain(Secret, Decoded(encoding, response, raw), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transfer_coding_other_than_chunked_is_refused_too()
    {
        var (session, stub) = await Granted();
        _upstream.Answer = async (r, s) =>
        {
            var zipped = Compress("gzip", Encoding.UTF8.GetBytes("you sent " + Received(r)));
            await ScriptedUpstream.Write(s, $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n{zipped.Length:x}\r\n");
            await s.WriteAsync(zipped);
            await ScriptedUpstream.Write(s, "\r\n0\r\n\r\n");
        };

        var (response, raw) = await Swapped(session, stub);

        Assert.Equal(502, response.Status);
        Assert.DoesNotContain(Secret, Decoded("gzip", response, raw), StringComparison.Ordinal);
    }

    public static TheoryData<string, int, int> Placements => new()
    {
        // content type, padding before the secret, the chunk size it is streamed in
        { "text/plain", 10, 7 },                      // split across many small chunks
        { "text/plain", 1024 * 1024 + 3, 64 * 1024 }, // past the first MiB
        { "text/plain", 1024 * 1024 - 5, 1024 * 1024 }, // straddling the 1 MiB mark, split at it
        { "application/octet-stream", 100, 33 },
        { "image/png", 70_000, 4096 },
        { "", 5, 3 },                                 // no content type at all
    };

    [Theory]
    [MemberData(nameof(Placements))]
    public async Task A_secret_is_stripped_wherever_it_falls_in_a_streamed_body(string contentType, int padding, int chunk)
    {
        var (session, stub) = await Granted();
        _upstream.Answer = (r, s) =>
        {
            var body = Encoding.Latin1.GetBytes(new string('.', padding) + Received(r) + " tail");
            var type = contentType.Length > 0 ? $"Content-Type: {contentType}\r\n" : "";
            return ScriptedUpstream.WriteChunked(s, type, body.Chunk(chunk));
        };

        var (response, raw) = await Swapped(session, stub);

        Assert.Equal(200, response.Status);
        Assert.True(raw.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Secret)) < 0, "the secret reached the sandbox");
        Assert.True(raw.AsSpan().IndexOf(Encoding.ASCII.GetBytes($"Bearer {stub} tail")) >= 0, "the stub should stand where the secret was");
    }

    [Fact]
    public async Task A_swapped_request_asks_for_the_whole_body_so_no_range_cuts_a_secret_apart()
    {
        var (session, stub) = await Granted();
        _upstream.Answer = (_, s) => ScriptedUpstream.WriteWhole(s, "Content-Type: text/plain\r\n", "ok"u8.ToArray());

        await Swapped(session, stub, extra: "Range: bytes=12-20\r\nIf-Range: \"x\"\r\n");

        var received = _upstream.Requests[^1];
        Assert.Empty(received.Header("Range"));
        Assert.Empty(received.Header("If-Range"));
    }

    [Fact]
    public async Task Escaped_encoded_and_base64_forms_of_a_non_ascii_secret_are_stripped_from_body_and_headers()
    {
        var (session, stub) = await Granted("uni");
        var forms = Spellings(Unicode);
        _upstream.Answer = (r, s) =>
        {
            Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("bot:" + Unicode)), Received(r));
            var body = Encoding.UTF8.GetBytes(string.Join("\n", forms.Select(f => $"{f.Name}: [{f.Echoed}]")));
            return ScriptedUpstream.WriteChunked(s, "Content-Type: application/json\r\n"
                + $"X-Echo-Url: {Uri.EscapeDataString(Unicode)}\r\nX-Echo-B64: {Base64(Unicode)}\r\n", body.Chunk(11));
        };

        var (response, raw) = await Swapped(session, stub);

        Assert.Equal(200, response.Status);
        foreach (var (name, _, revealing) in forms)
            Assert.True(raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes(revealing)) < 0, $"the {name} form reached the sandbox");
    }

    [Fact]
    public async Task A_websocket_upgrade_that_carries_a_stub_is_refused_and_nothing_goes_upstream()
    {
        var (session, stub) = await Granted();
        _upstream.Answer = WebSocketEcho;
        var before = _upstream.Requests.Count;

        var (response, raw) = await Swapped(session, stub, extra: Upgrade);

        Assert.Equal(403, response.Status);
        Assert.True(raw.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Secret)) < 0, "the secret reached the sandbox");
        Assert.Equal(before, _upstream.Requests.Count);
    }

    [Fact]
    public async Task An_upgrade_on_a_connection_that_already_carried_a_swapped_secret_is_refused()
    {
        var (session, stub) = await Granted();
        _upstream.Answer = (r, s) => r.Header("Upgrade").Any() ? WebSocketEcho(r, s)
            : ScriptedUpstream.WriteWhole(s, "Content-Type: text/plain\r\n", "fine"u8.ToArray());
        var (tls, _) = await node.Connect(session, Target, "127.0.0.1", node.ProxyCa());
        using (tls)
        {
            var (first, _) = await EgressNodeFixture.Exchange(tls, $"GET / HTTP/1.1\r\nHost: {Target}\r\nAuthorization: Bearer {stub}\r\n\r\n");
            Assert.Equal(200, first.Status);
            var before = _upstream.Requests.Count;

            var (second, raw) = await EgressNodeFixture.Exchange(tls, $"GET /ws HTTP/1.1\r\nHost: {Target}\r\n{Upgrade}\r\n");

            Assert.Equal(403, second.Status);
            Assert.True(raw.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Secret)) < 0, "the secret reached the sandbox");
            Assert.Equal(before, _upstream.Requests.Count);
        }
    }

    private const string Upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

    /// <summary>Switches protocols, then sends an unmasked text frame with whatever it last saw as the credential.</summary>
    private Task WebSocketEcho(ReceivedRequest request, Stream stream) => Task.Run(async () =>
    {
        var seen = _upstream.Requests.Select(r => r.Header("Authorization").FirstOrDefault()).LastOrDefault(a => a is not null) ?? "nothing";
        await ScriptedUpstream.Write(stream, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
        var payload = Encoding.UTF8.GetBytes(seen);
        await stream.WriteAsync((byte[])[0x81, (byte)payload.Length, .. payload]);
        await Task.Delay(200);
    });

    /// <summary>
    /// Spellings an echoing upstream may use, each built here independently of the proxy's own
    /// list: what it echoes, and the part of that which reveals the secret.
    /// </summary>
    private static List<(string Name, string Echoed, string Revealing)> Spellings(string secret) =>
        [.. Forms(secret).Select(f => (f.Name, f.Text, f.Text)), .. Blobs(secret)];

    /// <summary>The secret's bytes inside a larger base64 blob, one or two bytes into a group: the middle of the blob reveals it.</summary>
    private static IEnumerable<(string Name, string Echoed, string Revealing)> Blobs(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        for (var offset = 1; offset <= 2; offset++)
        {
            var blob = Convert.ToBase64String([.. new byte[offset], .. bytes, 0x03]);
            yield return ($"base64 inside a blob at offset {offset}", blob, blob[4..^8]);
        }
    }

    private static List<(string Name, string Text)> Forms(string secret)
    {
        string Escaped(bool lower, bool slash) => string.Concat(secret.Select(c => c switch
        {
            '"' => "\\\"",
            '/' when slash => "\\/",
            > '\u007e' => lower ? $"\\u{(int)c:x4}" : $"\\u{(int)c:X4}",
            _ => c.ToString(),
        }));
        return
        [
            ("raw UTF-8", secret),
            ("System.Text.Json", JsonSerializer.Serialize(secret).Trim('"')),
            ("JSON, lower-case \\u", Escaped(lower: true, slash: false)),
            ("JSON, escaped slash", Escaped(lower: true, slash: true)),
            ("JSON, upper-case \\u", Escaped(lower: false, slash: false)),
            ("URL-encoded", Uri.EscapeDataString(secret)),
            ("URL-encoded, lower-case hex", Regex.Replace(Uri.EscapeDataString(secret), "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant())),
            ("form-encoded", WebUtility.UrlEncode(secret)),
            ("base64", Base64(secret)),
            ("base64url", Base64(secret).TrimEnd('=').Replace('+', '-').Replace('/', '_')),
        ];
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static byte[] Compress(string encoding, byte[] data)
    {
        using var output = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "br" => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true),
            "deflate" => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true),
            _ => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
        })
        {
            compressor.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>What a sandbox could read out of the answer: the raw bytes, and the body decompressed if it decompresses.</summary>
    private static string Decoded(string encoding, RawResponse response, byte[] raw)
    {
        var text = Encoding.Latin1.GetString(raw);
        var body = Encoding.Latin1.GetBytes(response.Body);
        try
        {
            using Stream decompressor = encoding switch
            {
                "br" => new BrotliStream(new MemoryStream(body), CompressionMode.Decompress),
                "deflate" => new ZLibStream(new MemoryStream(body), CompressionMode.Decompress),
                _ => new GZipStream(new MemoryStream(body), CompressionMode.Decompress),
            };
            using var plain = new MemoryStream();
            decompressor.CopyTo(plain);
            return text + Encoding.UTF8.GetString(plain.ToArray());
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException)
        {
            return text;
        }
    }
}
