package api

import (
	"github.com/gin-gonic/gin"
)

// ConsoleConfig configures the web console (SPEC section 11).
type ConsoleConfig struct{}

// routeConsole registers the console's routes under /ui/.
func (s *Server) routeConsole(r *gin.Engine, get func(*gin.RouterGroup, string, ...gin.HandlerFunc)) {
}
