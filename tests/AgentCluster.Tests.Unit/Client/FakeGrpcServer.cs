using System.Buffers.Binary;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;

namespace AgentCluster.Tests.Unit.Client;

/// <summary>
/// Answers gRPC calls in memory, at the HTTP level, so the real client stack (channel,
/// call credentials, framing, status mapping) runs without a server or a socket.
/// </summary>
internal sealed class FakeGrpcServer(Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond) : HttpMessageHandler
{
    private readonly List<Call> _calls = [];

    public IReadOnlyList<Call> Calls => _calls;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        var authorization = request.Headers.TryGetValues("authorization", out var values) ? values.Single() : null;
        var call = new Call(request.RequestUri!.AbsolutePath, authorization, body[5..]);
        _calls.Add(call);

        var reply = respond(call);
        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Version = HttpVersion.Version20,
            Content = await BodyAsync(reply),
        };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        var trailers = reply.Message is null && !reply.HoldOpen ? (HttpHeaders)response.Headers : response.TrailingHeaders;
        trailers.Add("grpc-status", ((int)reply.Status).ToString(CultureInfo.InvariantCulture));
        if (reply.Detail is not null)
        {
            trailers.Add("grpc-message", PercentEncode(reply.Detail));
        }

        return response;
    }

    private static async Task<HttpContent> BodyAsync(Reply reply)
    {
        IMessage[] messages = reply.Message is null ? [] : [reply.Message, .. reply.More];
        byte[] frames = [.. messages.SelectMany(Frame)];
        if (!reply.HoldOpen)
        {
            return new ByteArrayContent(frames);
        }

        // A follow: the messages, then a body that never ends; only the caller's cancellation stops the read.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        await pipe.Writer.WriteAsync(frames);
        return new StreamContent(pipe.Reader.AsStream());
    }

    // As the gRPC spec carries grpc-message: UTF-8, with every byte outside printable ASCII (and '%') as %XX.
    private static string PercentEncode(string detail)
    {
        var encoded = new System.Text.StringBuilder();
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(detail))
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    private static byte[] Frame(IMessage message)
    {
        var payload = message.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    internal sealed record Call(string Path, string? Authorization, byte[] Body);

    internal sealed record Reply(StatusCode Status, IMessage? Message, string? Detail = null)
    {
        /// <summary>Further messages of a server stream, after <see cref="Message"/>.</summary>
        public IReadOnlyList<IMessage> More { get; init; } = [];

        /// <summary>Keep the stream open after the messages until the call is cancelled, as a follow does.</summary>
        public bool HoldOpen { get; init; }

        public static Reply Ok(IMessage message) => new(StatusCode.OK, message);

        /// <summary>A server stream of these messages, then OK (or, with <see cref="HoldOpen"/>, nothing more).</summary>
        public static Reply Stream(IEnumerable<IMessage> messages)
        {
            var all = messages.ToList();
            return all.Count == 0 ? new(StatusCode.OK, null) : new(StatusCode.OK, all[0]) { More = all[1..] };
        }

        public static Reply Error(StatusCode status, string detail) => new(status, null, detail);
    }
}
