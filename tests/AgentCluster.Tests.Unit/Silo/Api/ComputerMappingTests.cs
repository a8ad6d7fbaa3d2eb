using AgentCluster.Api.V1;
using AgentCluster.Grains.Computer;
using AgentCluster.Silo.Api;
using Grpc.Core;

namespace AgentCluster.Tests.Unit.Silo.Api;

public sealed class ComputerMappingTests
{
    [Theory]
    [InlineData(ComputerStatus.NotFound, StatusCode.NotFound)]
    [InlineData(ComputerStatus.Ended, StatusCode.FailedPrecondition)]
    [InlineData(ComputerStatus.NotDesktop, StatusCode.FailedPrecondition)]
    [InlineData(ComputerStatus.Invalid, StatusCode.InvalidArgument)]
    [InlineData(ComputerStatus.Refused, StatusCode.PermissionDenied)]
    [InlineData(ComputerStatus.Denied, StatusCode.PermissionDenied)]
    [InlineData(ComputerStatus.TooManyPending, StatusCode.ResourceExhausted)]
    [InlineData(ComputerStatus.Unavailable, StatusCode.Unavailable)]
    [InlineData(ComputerStatus.Pending, StatusCode.Internal)]
    public void An_outcome_that_is_not_done_is_its_status_with_its_reason(ComputerStatus status, StatusCode code)
    {
        var e = Assert.Throws<RpcException>(() => ComputerMapping.Done(new ComputerOutcome(status, "the reason")));
        Assert.Equal((code, "the reason"), (e.StatusCode, e.Status.Detail));
    }

    [Fact]
    public void Unset_fields_stay_null_and_set_ones_pass()
    {
        var click = ComputerMapping.Act(new ActRequest { Session = "ses_1", Action = "click", X = 0, Y = 5 });
        Assert.Equal(("click", 0, 5, null, null, null, null), (click.Kind, click.X, click.Y, click.Button, click.Text, click.ScrollY, click.Milliseconds));
        var screenshot = ComputerMapping.Screenshot(new ScreenshotRequest { Session = "ses_1" });
        Assert.Equal((null, null), (screenshot.Scale, screenshot.Region));
    }

    [Theory]
    [InlineData("screenshot")]
    [InlineData("watch_frames")]
    public void Screenshots_are_not_acts(string action)
    {
        var e = Assert.Throws<RpcException>(() => ComputerMapping.Act(new ActRequest { Session = "ses_1", Action = action }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }
}
