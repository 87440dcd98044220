package api

import (
	"github.com/gin-gonic/gin"
)

// Webhooks is the webhook endpoints API's backend.
type Webhooks interface{}

// routeWebhooks registers the webhook endpoints API (admin scope).
func (s *Server) routeWebhooks(routes *gin.RouterGroup, get func(*gin.RouterGroup, string, ...gin.HandlerFunc), admin gin.HandlerFunc) {
}
