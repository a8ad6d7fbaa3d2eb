using System.Text.Json.Serialization;

namespace AgentCluster.ComputerProtocol;

/// <summary>What an action other than screenshot answers; the cursor where it ends up, when known.</summary>
public sealed record ComputerResult
{
    public int? X { get; init; }
    public int? Y { get; init; }

    /// <summary>For screenshot_cost: the server's own time for one full screenshot.</summary>
    public long? Microseconds { get; init; }
}

/// <summary>Why an action failed. <see cref="Code"/> is one of <see cref="ComputerErrorCodes"/>.</summary>
public sealed record ComputerError(string Code, string Message);

public static class ComputerErrorCodes
{
    /// <summary>The request is malformed or its arguments are out of range.</summary>
    public const string BadRequest = "bad_request";

    /// <summary>The frame was larger than the server reads.</summary>
    public const string Oversize = "oversize";

    /// <summary>The server took the request but could not carry it out.</summary>
    public const string Failed = "failed";
}

/// <summary>Source-generated JSON for the protocol's messages (the server is trimmed and AOT-compiled).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ComputerRequest))]
[JsonSerializable(typeof(ComputerResult))]
[JsonSerializable(typeof(ComputerError))]
public sealed partial class ProtocolJson : JsonSerializerContext;
