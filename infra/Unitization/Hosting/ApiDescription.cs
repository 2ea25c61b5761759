using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Unitization.Host.Hosting;

/// <summary>
/// The OpenAPI document of the roles this process serves, at <c>/openapi/v1.json</c>: request and response shapes from
/// the endpoints' typed results, each operation tagged with its role, and problem details (RFC 7807) where an endpoint
/// answers them: <c>500</c> for any unhandled error (the exception handler), <c>4XX</c> for every handler whose result
/// type includes a problem.
/// </summary>
internal static class ApiDescription
{
    public const string DocumentPath = "/openapi/{documentName}.json";

    public static IServiceCollection AddApiDescription(this IServiceCollection services, Role roles) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Unitization";
                document.Info.Description = "Roles served by this process: " + string.Join(", ", RoleList.Format(roles)) +
                    ". Errors are RFC 7807 problem details (application/problem+json). Every endpoint but /healthz needs a credential.";
                return Security.SecurityDescription.DescribeSchemesAsync(document);
            });
            options.AddOperationTransformer((operation, context, _) => Security.SecurityDescription.DescribeOperationAsync(operation, context));
            options.AddOperationTransformer((operation, context, _) =>
            {
                if (CanAnswerProblem(context.Description.ActionDescriptor.EndpointMetadata) && operation.Responses is { } responses
                    && !responses.Keys.Any(k => k.StartsWith('4')) && responses.TryGetValue("500", out var serverError))
                {
                    responses["4XX"] = new OpenApiResponse
                    {
                        Description = "The request was refused: the problem details name the field or the thing that is wrong.",
                        Content = serverError.Content,
                    };
                }

                return Task.CompletedTask;
            });
        });

    /// <summary>A group for one role's endpoints: tagged with the role, every endpoint documents the 500 problem.</summary>
    public static IEndpointRouteBuilder RoleGroup(this IEndpointRouteBuilder app, string role) =>
        app.MapGroup(string.Empty).WithTags(role).ProducesProblem(StatusCodes.Status500InternalServerError).AddEndpointFilterFactory(Http.RequestValueFilter.Create);

    public static void MapApiDescription(this IEndpointRouteBuilder app) => app.MapOpenApi(DocumentPath);

    /// <summary>Whether the handler's result type (<c>Results&lt;…&gt;</c>, awaited or not) includes a problem result.</summary>
    internal static bool CanAnswerProblem(IEnumerable<object> metadata)
    {
        var method = metadata.OfType<MethodInfo>().FirstOrDefault();
        if (method is null)
        {
            return false;
        }

        var type = method.ReturnType;
        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            type = type.GetGenericArguments()[0];
        }

        return type == typeof(ProblemHttpResult) || type == typeof(ValidationProblem)
            || (type.IsGenericType && type.GetGenericArguments().Any(a => a == typeof(ProblemHttpResult) || a == typeof(ValidationProblem)));
    }
}
