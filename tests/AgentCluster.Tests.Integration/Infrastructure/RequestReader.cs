using System.Globalization;
using System.Text;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>Reads heads and Content-Length or chunked bodies off one connection.</summary>
internal sealed class RequestReader(Stream stream)
{
    private readonly List<byte> _buffer = [];

    public async Task<string?> ReadHeadAsync(CancellationToken ct)
    {
        int end;
        while ((end = IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (!await FillAsync(ct))
                return null;
        }
        return Take(end + 4)[..^4];
    }

    public async Task<string> ReadBodyAsync(string head, CancellationToken ct)
    {
        var request = new ReceivedRequest(head, "");
        if (request.Header("Content-Length").FirstOrDefault() is { } length)
            return await TakeAsync(int.Parse(length, CultureInfo.InvariantCulture), ct);
        if (!request.Header("Transfer-Encoding").Any(v => v.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
            return "";
        var body = new StringBuilder();
        while (true)
        {
            var size = int.Parse((await LineAsync(ct)).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                await LineAsync(ct);
                return body.ToString();
            }
            body.Append(await TakeAsync(size, ct));
            await LineAsync(ct);
        }
    }

    private async Task<string> LineAsync(CancellationToken ct)
    {
        int end;
        while ((end = IndexOf("\r\n"u8)) < 0)
        {
            if (!await FillAsync(ct))
                throw new IOException("connection closed mid-body");
        }
        return Take(end + 2)[..^2];
    }

    private async Task<string> TakeAsync(int count, CancellationToken ct)
    {
        while (_buffer.Count < count)
        {
            if (!await FillAsync(ct))
                throw new IOException("connection closed mid-body");
        }
        return Take(count);
    }

    private string Take(int count)
    {
        var text = Encoding.Latin1.GetString(_buffer.GetRange(0, count).ToArray());
        _buffer.RemoveRange(0, count);
        return text;
    }

    private int IndexOf(ReadOnlySpan<byte> pattern) => _buffer.ToArray().AsSpan().IndexOf(pattern);

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        var chunk = new byte[8192];
        var read = await stream.ReadAsync(chunk, ct);
        _buffer.AddRange(chunk.AsSpan(0, read).ToArray());
        return read > 0;
    }
}
