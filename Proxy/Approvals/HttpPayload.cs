using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace AgentCluster.Proxy.Approvals;

/// <summary>
/// What an approval of an HTTP request binds and shows: the method it may be read as (and the one
/// it was sent with, when an override changes it), the full URL as it goes out, the headers that
/// change its meaning, and the body: its size, the SHA-256 of all of it, and its first
/// <see cref="BodyPreview.ShownBytes"/> decoded for reading. The approval holds the hash of these
/// bytes, so approving one request never lets another through.
/// </summary>
public static class HttpPayload
{
    public static async Task<byte[]> Of(GatedRequest request, IReadOnlyList<string> shownHeaders, CancellationToken ct)
    {
        var fields = new JsonObject
        {
            ["method"] = request.Method.Method,
            ["url"] = request.Target.Url,
        };
        if (request.Method.Override is not null && request.Method.Override != request.Method.Wire)
            fields["sentAs"] = request.Method.Wire;
        var headers = new JsonObject();
        foreach (var name in shownHeaders)
        {
            if (request.Headers.TryGetValue(name, out var values))
                headers[name.ToLowerInvariant()] = string.Join(", ", values.ToArray());
        }
        if (headers.Count > 0)
            fields["headers"] = headers;
        if (request.Body.CanSeek && request.Body.Length > 0)
            await AddBody(fields, request.Body, request.Headers.ContentType, ct);
        return System.Text.Encoding.UTF8.GetBytes(fields.ToJsonString());
    }

    private static async Task AddBody(JsonObject fields, Stream body, string? contentType, CancellationToken ct)
    {
        body.Position = 0;
        fields["bodyBytes"] = body.Length;
        fields["bodySha256"] = Convert.ToHexStringLower(await SHA256.HashDataAsync(body, ct));
        var shown = (int)Math.Min(body.Length, BodyPreview.ShownBytes);
        var prefix = ArrayPool<byte>.Shared.Rent(shown);
        try
        {
            body.Position = 0;
            await body.ReadExactlyAsync(prefix.AsMemory(0, shown), ct);
            var truncated = body.Length > shown;
            if (BodyPreview.Show(contentType, prefix.AsSpan(0, shown), truncated) is { } preview)
                fields["body"] = preview;
            if (truncated)
                fields["bodyTruncated"] = true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(prefix);
            body.Position = 0;
        }
    }
}
