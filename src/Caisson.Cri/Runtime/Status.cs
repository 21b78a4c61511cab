using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override Task<StatusResponse> Status(StatusRequest request, ServerCallContext context)
    {
        var response = new StatusResponse { Status = new RuntimeStatus(), Features = new RuntimeFeatures() };
        response.Status.Conditions.Add(ToCri("RuntimeReady", _node.RuntimeReady()));
        response.Status.Conditions.Add(ToCri("NetworkReady", _node.NetworkReady()));
        foreach (var name in _node.RuntimeHandlers())
        {
            var features = new RuntimeHandlerFeatures();
            response.RuntimeHandlers.Add(new RuntimeHandler { Name = name, Features = features });
            if (name == _node.DefaultRuntime)
                response.RuntimeHandlers.Add(new RuntimeHandler { Name = "", Features = features });
        }

        if (request.Verbose)
            response.Info["podCidr"] = _node.PodCidr;
        return Task.FromResult(response);
    }

    private static RuntimeCondition ToCri(string type, Caisson.Runtime.Node.NodeState.Condition condition) =>
        new() { Type = type, Status = condition.Status, Reason = condition.Reason, Message = condition.Message };
}
