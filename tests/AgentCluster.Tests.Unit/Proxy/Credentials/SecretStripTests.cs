using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AgentCluster.Proxy.Credentials;

namespace AgentCluster.Tests.Unit.Proxy.Credentials;

public sealed class SecretStripTests
{
    private const string Secret = "sk_live_REALSECRET";
    private const string Stub = "agc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private static readonly SwapPlan Plan = new("Authorization", "Bearer " + Stub, Stub,
        new Dictionary<string, string> { ["Authorization"] = "Bearer " + Secret }, Secret);

    [Theory]
    [InlineData(40, "text/plain")]
    [InlineData(40 * 1024, "application/octet-stream")]
    [InlineData(3 * 1024 * 1024, "image/png")]   // far past the old 1 MiB scan
    [InlineData(100, null)]
    public async Task Every_secret_in_the_whole_body_becomes_the_stub_whatever_its_size_or_type(int size, string? type)
    {
        var text = Body(size, at: [0, size / 2, size - Secret.Length]);

        var response = await Strip(text, type);

        Assert.Null(response.Content.Headers.ContentLength);
        var back = await response.Content.ReadAsStringAsync();
        Assert.Equal(text.Replace(Secret, Stub, StringComparison.Ordinal), back);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("gzip", null)]
    [InlineData("br", null)]
    [InlineData("identity", "gzip")]
    public void A_coded_body_is_unreadable_and_an_identity_one_is_not(string contentEncoding, string? transferCoding)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([1]) };
        response.Content.Headers.ContentEncoding.Add(contentEncoding);
        if (transferCoding is not null)
            response.Headers.TransferEncoding.Add(new TransferCodingHeaderValue(transferCoding));

        Assert.NotNull(SecretStrip.Unreadable(response, "GET"));
        Assert.Null(SecretStrip.Unreadable(response, "HEAD"));
        response.Content.Headers.ContentEncoding.Clear();
        response.Content.Headers.ContentEncoding.Add("identity");
        response.Headers.TransferEncoding.Clear();
        response.Headers.TransferEncodingChunked = true;
        Assert.Null(SecretStrip.Unreadable(response, "GET"));
    }

    [Fact]
    public void What_the_upstream_named_its_coding_reaches_the_audit_short_and_printable()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([1]) };
        response.Content.Headers.TryAddWithoutValidation("Content-Encoding", "gzip;" + new string('x', 500) + "\u00e9");
        var reason = SecretStrip.Unreadable(response, "GET")!;
        Assert.True(reason.Length < 80, reason);
        Assert.All(reason, c => Assert.InRange(c, ' ', '~'));
    }

    private static string Body(int size, int[] at)
    {
        var chars = Enumerable.Range(0, size).Select(i => (char)('a' + i % 26)).ToArray();
        foreach (var position in at)
            Secret.CopyTo(0, chars, position, Secret.Length);
        return new string(chars);
    }

    private static async Task<HttpResponseMessage> Strip(string text, string? type)
    {
        var content = new StreamContent(new TrickleStream(Encoding.ASCII.GetBytes(text)));
        if (type is not null)
            content.Headers.ContentType = new MediaTypeHeaderValue(type);
        content.Headers.ContentLength = text.Length;
        var response = new HttpResponseMessage { Content = content };
        await SecretStrip.StripBody(response, Plan, CancellationToken.None);
        return response;
    }

    /// <summary>An unknown-length body that arrives a few KiB at a time, as from a socket.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 3000)], cancellationToken);
    }
}
