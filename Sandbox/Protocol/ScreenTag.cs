using System.Security.Cryptography;

namespace AgentCluster.ComputerProtocol;

/// <summary>
/// A screenshot's tag: the SHA-256 of its PNG in lowercase hex. The same pixels of the same region
/// at the same scale encode to the same PNG, so an equal tag is an unchanged picture; a caller hands
/// one back (<see cref="ComputerRequest.ChangedFrom"/>) to be answered when the picture changes.
/// </summary>
public static class ScreenTag
{
    public const int Length = 64;

    public static string Of(ReadOnlySpan<byte> png) => Convert.ToHexStringLower(SHA256.HashData(png));

    public static bool IsTag(string? value) => value is { Length: Length } && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
