using System.Net.Sockets;
using System.Text;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>A response as read off the wire: status, headers (every occurrence) and body text.</summary>
public sealed record RawResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body, string Text)
{
    public IEnumerable<string> Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);
}

/// <summary>
/// Writes bytes to a loopback port exactly as given and reads one response: up to the end of its
/// Content-Length body, or until the peer closes (or the patience runs out). For requests no
/// well-behaved client would send.
/// </summary>
public static class RawHttp
{
    public static async Task<RawResponse> SendAsync(int port, string request, TimeSpan? patience = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        }
        catch (IOException)
        {
            // The peer may close before it read everything (oversized headers): read what it said.
        }
        return Parse(await ReadToCloseAsync(stream, patience ?? TimeSpan.FromSeconds(20)));
    }

    public static async Task<string> ReadToCloseAsync(Stream stream, TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while (!Complete(buffer) && (read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
                buffer.Write(chunk, 0, read);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
        }
        return Encoding.Latin1.GetString(buffer.ToArray());
    }

    private static bool Complete(MemoryStream buffer)
    {
        var response = Parse(Encoding.Latin1.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        return response.Status != 0 && response.Header("Content-Length").FirstOrDefault() is { } length
            && int.TryParse(length, out var bytes) && Encoding.Latin1.GetByteCount(response.Body) >= bytes;
    }

    public static RawResponse Parse(string text)
    {
        var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/", StringComparison.Ordinal) || headEnd < 0)
            return new RawResponse(0, [], "", text);
        var lines = text[..headEnd].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2))
            .Select(p => new KeyValuePair<string, string>(p[0].Trim(), p.Length > 1 ? p[1].Trim() : "")).ToList();
        return new RawResponse(status, headers, text[(headEnd + 4)..], text);
    }

    public static string Basic(string user, string password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
}
