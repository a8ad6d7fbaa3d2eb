using System.Net.Http.Headers;
using System.Text;
using AgentCluster.Proxy.Credentials;

namespace AgentCluster.Tests.Unit.Proxy.Credentials;

public sealed class SecretStripTests
{
    private const string Secret = "sk_live_REALSECRET";
    private const string Stub = "agc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const int Cap = 64 * 1024;
    private static readonly SwapPlan Plan = new("Authorization", "Bearer " + Stub, Stub,
        new Dictionary<string, string> { ["Authorization"] = "Bearer " + Secret }, Secret);

    [Theory]
    [InlineData(40, true)]                // tiny, declared length
    [InlineData(40, false)]               // tiny, chunked
    [InlineData(40 * 1024, false)]        // past the first buffer, unknown length: the buffer grows
    [InlineData(Cap - 100, true)]         // just under the cap
    public async Task Every_secret_within_the_cap_becomes_the_stub_whatever_the_bodys_size(int size, bool declared)
    {
        var text = Body(size, at: [0, size / 2, size - Secret.Length]);

        var response = await Strip(text, declared);

        var back = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Secret, back, StringComparison.Ordinal);
        Assert.Equal(text.Replace(Secret, Stub, StringComparison.Ordinal), back);
    }

    [Fact]
    public async Task A_body_over_the_cap_keeps_its_tail_as_sent_and_only_the_head_is_stripped()
    {
        var text = Body(Cap * 3, at: [100, Cap * 2]);

        var response = await Strip(text, declared: false);

        var back = await response.Content.ReadAsStringAsync();
        Assert.Equal(text[..(Cap + 1)].Replace(Secret, Stub, StringComparison.Ordinal) + text[(Cap + 1)..], back);
    }

    [Fact]
    public async Task Binary_bodies_pass_untouched()
    {
        var response = new HttpResponseMessage { Content = new ByteArrayContent(Encoding.ASCII.GetBytes(Secret)) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        await SecretStrip.StripBody(response, Plan, Cap, CancellationToken.None);
        Assert.Equal(Secret, await response.Content.ReadAsStringAsync());
    }

    private static string Body(int size, int[] at)
    {
        var chars = Enumerable.Range(0, size).Select(i => (char)('a' + i % 26)).ToArray();
        foreach (var position in at)
            Secret.CopyTo(0, chars, position, Secret.Length);
        return new string(chars);
    }

    private static async Task<HttpResponseMessage> Strip(string text, bool declared)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        HttpContent content = declared ? new ByteArrayContent(bytes) : new StreamContent(new TrickleStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        var response = new HttpResponseMessage { Content = content };
        await SecretStrip.StripBody(response, Plan, Cap, CancellationToken.None);
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
