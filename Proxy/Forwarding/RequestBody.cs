namespace AgentCluster.Proxy.Forwarding;

/// <summary>
/// Reads a request's body to its end before anything is sent upstream: a malformed or oversized
/// body is refused while the upstream has seen nothing, and later checks can read the body whole.
/// </summary>
public static class RequestBody
{
    private const int InMemoryBytes = 64 * 1024;

    public static async Task<(int Status, string Reason)?> Buffer(HttpContext context, long maxBytes)
    {
        var request = context.Request;
        if (request.ContentLength == 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count == 0))
            return null;
        request.EnableBuffering(InMemoryBytes, maxBytes);
        try
        {
            await request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            request.Body.Position = 0;
            return null;
        }
        catch (BadHttpRequestException e)
        {
            return (e.StatusCode, "bad-body: " + e.Message);
        }
        catch (IOException e) when (!context.RequestAborted.IsCancellationRequested)
        {
            // The buffering stream's own limit.
            return (StatusCodes.Status413PayloadTooLarge, "body-too-large: " + e.Message);
        }
    }
}
