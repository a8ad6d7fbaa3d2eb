using System.Buffers.Binary;
using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Sessions;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Computer;

/// <summary>Carrying an action out over the channel, and what a silent computer server costs its session.</summary>
public sealed partial class ComputerGrain
{
    private async Task<ComputerOutcome> Perform(SessionInfo info, ComputerAction action, string? url)
    {
        try
        {
            var channel = await Channel(info);
            var reply = await channel.SendAsync(ComputerDescription.Request(action, url));
            return reply.Png is { } png
                ? new(ComputerStatus.Done) { Png = png, Width = PngWidth(png), Height = PngHeight(png) }
                : new(ComputerStatus.Done) { CursorX = reply.Result?.X, CursorY = reply.Result?.Y };
        }
        catch (ComputerActionException e) when (e.Code is ComputerErrorCodes.BadRequest or ComputerErrorCodes.Oversize)
        {
            return new(ComputerStatus.Invalid, e.Message);
        }
        catch (ComputerActionException e)
        {
            // It answered, so it lives: this action failed, the session goes on.
            return new(ComputerStatus.Unavailable, $"the computer server of session {Id} could not carry out the {action.Kind}: {e.Message}");
        }
        catch (ComputerChannelException e)
        {
            return await Silent(info, action, e);
        }
    }

    /// <summary>
    /// One failure may be a dropped attach: a ping (on a fresh attach if the old one broke) tells a
    /// live server from a dead one. A dead one fails the session with the reason, and its container goes.
    /// </summary>
    private async Task<ComputerOutcome> Silent(SessionInfo info, ComputerAction action, ComputerChannelException failure)
    {
        try
        {
            await (await Channel(info)).SendAsync(new ComputerRequest { Action = ComputerActions.Ping });
            return new(ComputerStatus.Unavailable, $"the {action.Kind} on session {Id} failed ({failure.Message}); the computer server answers again");
        }
        catch (Exception e) when (e is ComputerChannelException or ComputerActionException)
        {
            var reason = $"the computer server does not answer: {failure.Message}";
            logger.LogWarning("Session {Session}: {Reason}; the session fails", Id, reason);
            await Session.Fail(info.ContainerId!, reason);
            return new(ComputerStatus.Unavailable, $"{reason}; session {Id} is Failed");
        }
    }

    // A PNG's IHDR comes first: width and height as big-endian at bytes 16 and 20.
    private static int PngWidth(byte[] png) => png.Length >= 24 ? BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)) : 0;

    private static int PngHeight(byte[] png) => png.Length >= 24 ? BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)) : 0;
}
